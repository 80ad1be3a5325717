import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { SearchStatistics1764000000001 } from './1764000000001-search-statistics.js';
import { IdempotencyResult1764000000002 } from './1764000000002-idempotency-result.js';
import { PipelineAndGroups1764000000003 } from './1764000000003-pipeline-and-groups.js';
import { Webhooks1764000000004 } from './1764000000004-webhooks.js';
import { Sla1764000000005 } from './1764000000005-sla.js';
import { Triage1764000000006 } from './1764000000006-triage.js';
import { ActivityOrder1764000000007 } from './1764000000007-activity-order.js';
import { RetentionIndexes1764000000008 } from './1764000000008-retention-indexes.js';
import { TicketRatings1764000000030 } from './1764000000030-ticket-ratings.js';
import { AgentPoints1764000000031 } from './1764000000031-agent-points.js';
import { AgentPointsDaily1764000000032 } from './1764000000032-agent-points-daily.js';
import { MetricsIndexes1764000000040 } from './1764000000040-metrics-indexes.js';
import { Analytics1764000000050 } from './1764000000050-analytics.js';
import { AnalyticsBlocks1764000000060 } from './1764000000060-analytics-blocks.js';
import { AnalyticsQuarters1764000000070 } from './1764000000070-analytics-quarters.js';

/** Every migration, in order; the app and the test harness load this list explicitly. */
export const migrations = [
  InitialSchema1764000000000,
  SearchStatistics1764000000001,
  IdempotencyResult1764000000002,
  PipelineAndGroups1764000000003,
  Webhooks1764000000004,
  Sla1764000000005,
  Triage1764000000006,
  ActivityOrder1764000000007,
  RetentionIndexes1764000000008,
  TicketRatings1764000000030,
  AgentPoints1764000000031,
  AgentPointsDaily1764000000032,
  MetricsIndexes1764000000040,
  Analytics1764000000050,
  AnalyticsBlocks1764000000060,
  AnalyticsQuarters1764000000070,
];
