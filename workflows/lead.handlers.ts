import { ApplicationFailure, setHandler, uuid4 } from '@temporalio/workflow';
import type { Actor } from '../domain/actor.schema';
import type { Rejection, ReleaseInput } from '../domain/lead-command.contract';
import type { LeadUpdateName } from '../domain/lead-message-names.contract';
import { awaitingAnswer, snapshot } from '../domain/lead-snapshot';
import { addTask, claimLead, completeTask, moveStage, overrideQualification, recordBrokerMessage, recordCommand, releaseLead } from '../domain/lead-state.commands';
import {
  addTaskUpdate,
  brokerMessageUpdate,
  claimUpdate,
  completeTaskUpdate,
  deliveryFailedSignal,
  eraseSignal,
  inboundSignal,
  moveStageUpdate,
  optOutSignal,
  overrideQualificationUpdate,
  releaseUpdate,
  stateQuery,
  type BrokerMessageResult,
} from './lead.messages';
import { leadValidators } from './lead-validators.loader';
import { checkBroker } from './lead.proxies';
import type { LeadRun } from './lead.run';

// Handlers validate (pure validators, so a rejected command never reaches history), apply one
// domain command to the state and, when a side effect is needed, queue it for the main loop
// and wait for its result. They do no I/O of their own, except claim's broker lookup.

function reject(rejection: Rejection | null): void {
  if (rejection) throw ApplicationFailure.create({ type: rejection.code, message: rejection.message, details: [rejection.details ?? {}], nonRetryable: true });
}

const nowIso = () => new Date(Date.now()).toISOString();

/** Notes the command (and its actor) in the state; one the actor named goes on the timeline too. */
function note(run: LeadRun, command: LeadUpdateName, by: Actor | undefined, summary: string): void {
  const { record } = run.apply(recordCommand(run.state, { command, at: nowIso(), by: by ?? null, summary }));
  if (by) run.audit.push(record);
}

export function installHandlers(run: LeadRun): void {
  setHandler(inboundSignal, (message) => {
    run.inbox.push(message);
  });
  setHandler(optOutSignal, () => {
    run.requests.optOut = true;
  });
  setHandler(eraseSignal, () => {
    run.requests.erase = true;
  });
  setHandler(deliveryFailedSignal, () => {
    run.requests.deliveryFailed = true;
  });
  setHandler(stateQuery, () => run.state);

  setHandler(
    claimUpdate,
    async (cmd) => {
      const broker = await checkBroker({ brokerId: cmd.brokerId });
      if (!broker.exists || !broker.active) reject({ code: 'unknown_broker', message: `No active broker ${cmd.brokerId}`, details: { brokerId: cmd.brokerId } });
      // The state may have moved on while the broker was looked up (another claim won).
      reject(leadValidators().validateClaim(run.state, cmd));
      run.apply(claimLead(run.state, { brokerId: cmd.brokerId, at: nowIso() }));
      note(run, 'claim', cmd.actor, `Claimed by ${cmd.brokerId}`);
      return snapshot(run.state);
    },
    { validator: (cmd) => reject(leadValidators().validateClaim(run.state, cmd)) },
  );

  setHandler(
    releaseUpdate,
    (cmd?: ReleaseInput) => {
      run.apply(releaseLead(run.state, { at: nowIso() }));
      // The lead may be waiting for an answer the broker never gave: the AI picks it up.
      run.requests.turn = awaitingAnswer(run.state);
      note(run, 'release', cmd?.actor, 'Released to the AI');
      return snapshot(run.state);
    },
    { validator: (cmd?: ReleaseInput) => reject(leadValidators().validateRelease(run.state, cmd)) },
  );

  setHandler(
    moveStageUpdate,
    (cmd) => {
      const from = run.state.stage;
      run.apply(moveStage(run.state, { move: cmd, at: nowIso() }));
      note(run, 'moveStage', cmd.actor, `Stage ${from} → ${cmd.stage}: ${cmd.reason}`);
      return snapshot(run.state);
    },
    { validator: (cmd) => reject(leadValidators().validateMoveStage(run.state, cmd)) },
  );

  setHandler(
    overrideQualificationUpdate,
    (cmd) => {
      run.apply(overrideQualification(run.state, { override: cmd, at: nowIso() }));
      note(run, 'overrideQualification', cmd.actor, `Qualification set to ${cmd.qualified ? 'qualified' : 'not qualified'}${cmd.score === undefined ? '' : ` (${cmd.score})`}: ${cmd.reason}`);
      return snapshot(run.state);
    },
    { validator: (cmd) => reject(leadValidators().validateOverrideQualification(run.state, cmd)) },
  );

  setHandler(
    addTaskUpdate,
    async (cmd) => {
      const { task } = run.apply(addTask(run.state, { task: cmd, id: uuid4(), at: nowIso() }));
      note(run, 'addTask', cmd.actor, `Task added: ${task.title} (due ${task.dueAt})`);
      await run.enqueue({ kind: 'save_task', task: { ...task } });
      return task;
    },
    { validator: (cmd) => reject(leadValidators().validateAddTask(run.state, cmd, Date.now())) },
  );

  setHandler(
    completeTaskUpdate,
    async (cmd) => {
      const { task } = run.apply(completeTask(run.state, { taskId: cmd.taskId, at: nowIso() }));
      note(run, 'completeTask', cmd.actor, `Task completed: ${task.title}`);
      await run.enqueue({ kind: 'save_task', task: { ...task } });
      return task;
    },
    { validator: (cmd) => reject(leadValidators().validateCompleteTask(run.state, cmd)) },
  );

  setHandler(
    brokerMessageUpdate,
    async (cmd) => {
      const text = cmd.text.trim();
      const { n } = run.apply(recordBrokerMessage(run.state, { text, at: nowIso(), by: cmd.actor }));
      note(run, 'brokerMessage', cmd.actor, `Message ${n} sent to the lead`);
      return run.enqueue<BrokerMessageResult>({ kind: 'broker_message', n, text });
    },
    { validator: (cmd) => reject(leadValidators().validateBrokerMessage(run.state, cmd)) },
  );
}
