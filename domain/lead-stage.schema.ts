import { z } from 'zod';
import { STAGES } from './lead-stage.rules';

// Kept out of lead-stage.rules.ts: the workflow bundle shares that module between leads, and a
// module that builds zod schemas cannot be shared (temporal/workflow-bundle.options.ts).
export const StageSchema = z.enum(STAGES);
