import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair, type SearchAttributeUpdatePair } from '@temporalio/common';
import type { LeadState } from '../domain/lead-state.model';

// Custom search attributes ops filter leads by in the Temporal Web UI. None carries personal
// data: stage, score, qualified flag, channel and the owning broker's id only.
export const LeadStageKey = defineSearchAttributeKey('LeadStage', SearchAttributeType.KEYWORD);
export const LeadScoreKey = defineSearchAttributeKey('LeadScore', SearchAttributeType.INT);
export const QualifiedKey = defineSearchAttributeKey('Qualified', SearchAttributeType.BOOL);
export const ChannelKey = defineSearchAttributeKey('Channel', SearchAttributeType.KEYWORD);
export const OwnerIdKey = defineSearchAttributeKey('OwnerId', SearchAttributeType.KEYWORD);

/** Set by Temporal on a workflow a Schedule started: the action's nominal time (the SLA digest covers the day before it). */
export const ScheduledStartTimeKey = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** `--search-attribute` flags for `temporal server start-dev`. */
export const DEV_SERVER_SEARCH_ATTRIBUTES = ['LeadStage=Keyword', 'LeadScore=Int', 'Qualified=Bool', 'Channel=Keyword', 'OwnerId=Keyword'];

/** A lead's attributes as its state gives them (projection.step.ts compares and upserts these). */
export function leadSearchAttributes(state: Pick<LeadState, 'stage' | 'qualification' | 'channel' | 'ownerId'>): SearchAttributeUpdatePair[] {
  return [
    { key: LeadStageKey, value: state.stage },
    { key: LeadScoreKey, value: state.qualification?.score ?? 0 },
    { key: QualifiedKey, value: state.qualification?.qualified ?? false },
    { key: ChannelKey, value: state.channel },
    { key: OwnerIdKey, value: state.ownerId },
  ];
}

/**
 * What a new lead's workflow starts with: every attribute its first publishState would write
 * (no owner is no attribute), so that run writes none until a value changes; one visibility
 * write fewer per lead (#13).
 */
export function newLeadSearchAttributes(channel: LeadState['channel']): SearchAttributePair[] {
  return leadSearchAttributes({ stage: 'new', qualification: null, channel, ownerId: null }).filter((pair): pair is SearchAttributePair => pair.value !== null);
}
