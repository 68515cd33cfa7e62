import type { ReactNode } from 'react';

/** An inline message beside a form; errors are announced (role=alert), notices politely (role=status). */
export function Alert({ tone = 'error', children, testId }: { tone?: 'error' | 'success'; children: ReactNode; testId?: string }) {
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {children}
    </div>
  );
}
