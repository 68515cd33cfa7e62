import type * as Validators from '../domain/lead-state.validators';

/**
 * The update validators, loaded on a lead's first command instead of with its workflow (#13).
 * The worker evaluates a workflow's modules again for every lead it starts or replays, and the
 * validators bring the command contract's schemas and so zod: 22 of the 56 modules a lead
 * loaded and about 90% of that load's CPU (`npm run bench -- workflow-load`), for commands most
 * leads never get. zod cannot be shared between workflows instead: the SDK deep-freezes
 * preloaded modules and a frozen zod breaks (temporal/workflow-bundle.options.ts).
 *
 * `require` here is webpack's: the workflow bundle compiles it to a synchronous lookup in the
 * workflow's own module cache (evaluated on the first call, cached after), so a validator,
 * which must be synchronous, can load them on the spot, and a replay loads them at the same
 * point as the first run. Workflow code only ever runs from that bundle
 * (`test/integration/workflow-bundle.test.ts` runs the built one). The type import keeps the
 * call checked against the real module.
 */
export function leadValidators(): typeof Validators {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- webpack's lazy require, see above
  return require('../domain/lead-state.validators') as typeof Validators;
}
