import { describe, expect, it } from 'vitest';
import { concernsAssignment } from '../../../src/core/assignment/run-assignment.use-case.js';
import type { EventSummary } from '../../../src/core/shared/domain-event.js';
import { concernsSla } from '../../../src/core/sla/track-sla.use-case.js';
import { isTriageEvent } from '../../../src/core/triage/run-triage.use-case.js';
import { queuesFor } from '../../../src/adapters/queue/queues.js';

const ev = (type: string, payload: Record<string, unknown> = {}, actorId: string | null = 'agent-1'): EventSummary => ({ type, actorId, payload });
const changed = (field: string, from: unknown = 'a', to: unknown = 'b') => ({ changes: [{ type: 'field_changed', field, from, to }] });

// Which consumers each event reaches (the relay enqueues only these; each consumer skips the rest itself).
const cases: [string, EventSummary, { assignment: boolean; sla: boolean; triage: boolean }][] = [
  ['a new ticket', ev('ticket.created', { changes: [{ type: 'created' }] }), { assignment: true, sla: true, triage: true }],
  ['a title edit by a person', ev('ticket.updated', changed('title')), { assignment: false, sla: false, triage: true }],
  ['a title edit by the system', ev('ticket.updated', changed('title'), null), { assignment: false, sla: false, triage: false }],
  ['tags only', ev('ticket.updated', changed('tags')), { assignment: false, sla: false, triage: false }],
  ['a priority override', ev('ticket.updated', changed('priority')), { assignment: false, sla: true, triage: false }],
  ['severity (derives the priority)', ev('ticket.updated', changed('severity')), { assignment: false, sla: true, triage: false }],
  ['a category set by triage', ev('ticket.updated', changed('categoryId', null, 'c'), null), { assignment: true, sla: true, triage: false }],
  ['an agent moving the ticket to a group', ev('ticket.updated', changed('groupId', null, 'g')), { assignment: true, sla: false, triage: false }],
  [
    'routing to the default group (assignment drains right after it)',
    ev('ticket.updated', { ...changed('groupId', null, 'g'), reason: 'category default group' }, null),
    { assignment: false, sla: false, triage: false },
  ],
  ['an unassigned ticket given to an agent', ev('ticket.assigned', changed('assigneeId', null, 'u1'), null), { assignment: false, sla: false, triage: false }],
  ['a ticket taken from one agent to another', ev('ticket.assigned', changed('assigneeId', 'u1', 'u2')), { assignment: true, sla: false, triage: false }],
  ['a ticket unassigned', ev('ticket.assigned', changed('assigneeId', 'u1', null)), { assignment: true, sla: false, triage: false }],
  ['a status change', ev('ticket.status_changed', changed('status', 'open', 'resolved')), { assignment: true, sla: true, triage: false }],
  ['a public reply', ev('comment.created', { comment: { internal: false, authorId: 'agent-1' } }), { assignment: false, sla: true, triage: false }],
  ['an internal note', ev('comment.created', { comment: { internal: true, authorId: 'agent-1' } }), { assignment: false, sla: false, triage: false }],
  ['a deletion', ev('ticket.deleted'), { assignment: true, sla: true, triage: false }],
  ['a restore', ev('ticket.restored'), { assignment: true, sla: true, triage: false }],
  ['a group change', ev('group.changed'), { assignment: true, sla: false, triage: false }],
  ['an agent back from a break', ev('agent.availability_changed'), { assignment: true, sla: false, triage: false }],
  ['an SLA policy edit', ev('sla_policy.changed', { policyId: 'p' }), { assignment: false, sla: true, triage: false }],
  ['an SLA breach', ev('sla.breached'), { assignment: false, sla: false, triage: false }],
];

describe('which pipeline consumers an event concerns', () => {
  it.each(cases)('%s', (_name, event, expected) => {
    expect({ assignment: concernsAssignment(event), sla: concernsSla(event), triage: isTriageEvent(event) }).toEqual(expected);
  });
});

describe('which queues the relay puts an event on', () => {
  it('sends a new ticket to intake alone (it runs triage, SLA and assignment), besides webhooks, analytics and the InfluxDB export', () => {
    // The relay leaves out influx-export (an optional queue) when INFLUX_URL is not set.
    expect(queuesFor(ev('ticket.created', { changes: [{ type: 'created' }] }))).toEqual(['intake', 'webhooks', 'analytics', 'influx-export']);
  });

  it.each(cases.filter(([, event]) => event.type !== 'ticket.created'))('%s: the consumers it concerns, never intake', (_name, event, expected) => {
    const queues = queuesFor(event);
    expect(queues).not.toContain('intake');
    expect({ assignment: queues.includes('assignment'), sla: queues.includes('sla'), triage: queues.includes('triage') }).toEqual(expected);
  });
});
