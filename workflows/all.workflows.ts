// Temporal loads workflow code from one module: this is that module, not a barrel for app
// code. Add each new workflow here.
export { leadWorkflow } from './lead.workflow';
export { leadgenIntakeWorkflow } from './leadgen-intake.workflow';
export { inboundEventWorkflow, whatsappBatchWorkflow } from './inbound-event.workflow';
export { reindexUnitsWorkflow } from './reindex.workflow';
export { contactErasureWorkflow } from './contact-erasure.workflow';
export { mediaFetchWorkflow } from './media-fetch.workflow';
export { slaDigestWorkflow } from './sla-digest.workflow';
