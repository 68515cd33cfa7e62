import { createContext, useContext, type ReactNode } from 'react';

// The CSP nonce of this response, set by entry.server; every inline script React Router
// writes carries it. In the browser the value is hidden by design, so it reads as ''.
const NonceContext = createContext('');

export function NonceProvider({ nonce, children }: { nonce: string; children: ReactNode }) {
  return <NonceContext.Provider value={nonce}>{children}</NonceContext.Provider>;
}

export const useNonce = () => useContext(NonceContext);
