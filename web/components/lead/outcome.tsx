import { Alert } from '~/components/ui/alert';
import { errorText } from '~/lib/error-text';

/** A refusal in plain language (the API's detail after it), or the notice of a command that went through. */
export function Outcome({ error, notice, testId }: { error: { code: string; message: string } | null; notice: string | null; testId: string }) {
  if (error) {
    const { sentence, detail } = errorText(error.code, error.message);
    return (
      <Alert testId={`${testId}-error`}>
        <span data-code={error.code}>{sentence}</span>
        {detail ? <span className="alert-detail"> {detail}</span> : null}
      </Alert>
    );
  }
  return notice ? (
    <Alert tone="success" testId={`${testId}-notice`}>
      {notice}
    </Alert>
  ) : null;
}
