// The names of the lead workflow's messages (signals, updates, queries). Callers (API, intake,
// activities, tests) and the workflow read them from here, so neither side can drift. They live
// apart from the command inputs (lead-command.contract.ts) because those are zod schemas, and a
// workflow that only names its messages must not load zod for every lead (#13).

/** `deliveryFailed`: a message the lead was sent later failed to deliver (a status webhook); no payload, nothing personal. */
export const LEAD_SIGNALS = { inbound: 'inbound', optOut: 'optOut', erase: 'erase', deliveryFailed: 'deliveryFailed' } as const;

export const LEAD_UPDATES = {
  claim: 'claim',
  release: 'release',
  moveStage: 'moveStage',
  overrideQualification: 'overrideQualification',
  addTask: 'addTask',
  completeTask: 'completeTask',
  brokerMessage: 'brokerMessage',
} as const;
export type LeadUpdateName = (typeof LEAD_UPDATES)[keyof typeof LEAD_UPDATES];

export const LEAD_QUERIES = { state: 'state' } as const;
