import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

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
