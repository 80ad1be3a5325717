import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/core/shared/domain-error.js';
import { aCategory } from '../../support/factories/category.factory.js';
import { failureOf } from '../failure-of.js';
import { slaWorld } from './sla-world.js';

describe('ManageSlaPolicies', () => {
  it('lets admins create policies with defaults filled in, and staff read them', async () => {
    const w = slaWorld();
    const policy = await w.policy();
    expect(policy).toMatchObject({ pauseStatuses: ['pending'], atRiskPercent: 80, escalation: { notifyGroup: true, reassignToGroupId: null } });
    expect((await w.policies.list(w.agent)).map((p) => p.id)).toEqual([policy.id]);
    expect((await w.policies.get(w.agent, policy.id)).name).toBe('Standard');
  });

  it('refuses requesters (403 on the list, 404 on one) and agents writing (403)', async () => {
    const w = slaWorld();
    const policy = await w.policy();
    expect(await failureOf(() => w.policies.list(w.alice))).toMatchObject({ kind: 'forbidden' });
    expect(await failureOf(() => w.policies.get(w.alice, policy.id))).toMatchObject({ code: 'SLA_POLICY_NOT_FOUND' });
    expect(await failureOf(() => w.policies.update(w.agent, policy.id, { name: 'Mine' }))).toMatchObject({
      code: 'SLA_POLICIES_ADMIN_ONLY',
    });
    expect(await failureOf(() => w.policies.delete(w.agent, policy.id))).toMatchObject({ kind: 'forbidden' });
  });

  it('validates through the core, naming the field', async () => {
    const w = slaWorld();
    const error = await failureOf(() => w.policy({ atRiskPercent: 100 }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).fieldErrors).toEqual([{ field: 'atRiskPercent', message: expect.any(String) }]);
    const calendar = await failureOf(() => w.policy({ calendar: { timeZone: 'Mars/Base', weeklyHours: [], holidays: [] } }));
    expect((calendar as InvalidInputError).fieldErrors[0]!.field).toBe('calendar.timeZone');
  });

  it('refuses unknown or sub categories and an unknown escalation group (422)', async () => {
    const w = slaWorld();
    const top = w.db.addCategory(aCategory());
    const sub = w.db.addCategory(aCategory({ parentId: top.id }));
    expect(await failureOf(() => w.policy({ categoryIds: [randomUUID()] }))).toMatchObject({ kind: 'rule_violation' });
    expect(await failureOf(() => w.policy({ categoryIds: [top.id, sub.id] }))).toMatchObject({
      fieldErrors: [{ field: 'categoryIds[1]', message: 'must be a top-level category' }],
    });
    expect(await failureOf(() => w.policy({ escalation: { notifyGroup: true, reassignToGroupId: randomUUID() } }))).toMatchObject({
      fieldErrors: [{ field: 'escalation.reassignToGroupId', message: 'no such group' }],
    });
  });

  it('moves categories and the default flag to the policy that takes them', async () => {
    const w = slaWorld();
    const category = w.db.addCategory(aCategory());
    const first = await w.policy({ categoryIds: [category.id] });
    const second = await w.policy({ name: 'Gold', categoryIds: [category.id] });
    const [a, b] = await Promise.all([w.policies.get(w.admin, first.id), w.policies.get(w.admin, second.id)]);
    expect([a.isDefault, a.categoryIds]).toEqual([false, []]);
    expect([b.isDefault, b.categoryIds]).toEqual([true, [category.id]]);
  });

  it('writes sla_policy.changed on an edit, and refuses to delete a policy some ticket followed (409)', async () => {
    const w = slaWorld();
    const used = await w.policy();
    await w.open({ severity: 'high' });
    await w.pump();
    await w.policies.update(w.admin, used.id, { atRiskPercent: 50 });
    expect(w.db.outbox().filter((e) => e.type === 'sla_policy.changed').map((e) => e.payload)).toEqual([{ policyId: used.id }]);
    expect(await failureOf(() => w.policies.delete(w.admin, used.id))).toMatchObject({ code: 'SLA_POLICY_IN_USE', details: { tickets: 1 } });
    const unused = await w.policy({ name: 'Spare', isDefault: false });
    await w.policies.delete(w.admin, unused.id);
    expect(await failureOf(() => w.policies.get(w.admin, unused.id))).toMatchObject({ kind: 'not_found' });
  });
});
