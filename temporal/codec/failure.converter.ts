import { DefaultFailureConverter } from '@temporalio/common';

// Error messages and stack traces can quote what a lead wrote. Encoding them as a payload puts
// them through the payload codec (encrypted) instead of leaving them as plain text in history.
// Loaded by path (DataConverter.failureConverterPath) in the worker, the client and the
// workflow bundle, so it imports nothing but the SDK.
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
