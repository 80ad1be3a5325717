import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, it } from 'vitest';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';

let t: TestApp;
let admin: Caller;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.user('admin');
});
afterAll(() => t?.close());

it('probe', async () => {
  const out: unknown[] = [];
  const p = async (label: string, method: any, url: string, o: any = {}) => {
    const r = await t.request(method, url, { as: admin, ...o });
    out.push([label, r.status, r.headers['content-type'], r.body]);
  };
  const tk = await t.request('POST', '/api/v1/tickets', { as: admin, body: { title: 'x', description: 'y' } });
  const id = tk.body.id;
  await p('status comment null', 'PATCH', `/api/v1/tickets/${id}/status`, { body: { status: 'open', comment: null } });
  await p('status comment spaces', 'PATCH', `/api/v1/tickets/${id}/status`, { body: { status: 'open', comment: '  ' } });
  await p('create prio null', 'POST', '/api/v1/tickets', { body: { title: 'x', description: 'y', priority: null } });
  await p('create cat null', 'POST', '/api/v1/tickets', { body: { title: 'x', description: 'y', categoryId: null, subcategoryId: null, requesterId: null, tags: null, severity: null } });
  await p('create title spaces', 'POST', '/api/v1/tickets', { body: { title: '   ', description: 'y' } });
  await p('comment internal null', 'POST', `/api/v1/tickets/${id}/comments`, { body: { body: 'x', internal: null } });
  await p('comment spaces', 'POST', `/api/v1/tickets/${id}/comments`, { body: { body: '  ' } });
  const cat = await t.request('POST', '/api/v1/categories', { as: admin, body: { name: 'Probe ' + Date.now() } });
  await p('cat patch name null', 'PATCH', `/api/v1/categories/${cat.body.id}`, { body: { name: null } });
  await p('cat create name spaces', 'POST', `/api/v1/categories`, { body: { name: '   ' } });
  await p('cat create parent unknown', 'POST', `/api/v1/categories`, { body: { name: 'zz' + Date.now(), parentId: '6f1c7c1e-2f6a-4c41-9d7a-1d7e0f7b6a11' } });
  await p('user patch role null', 'PATCH', `/api/v1/users/${admin.id}`, { body: { role: null } });
  await p('user patch active null', 'PATCH', `/api/v1/users/${admin.id}`, { body: { active: null } });
  await p('user patch empty', 'PATCH', `/api/v1/users/${admin.id}`, { body: {} });
  await p('assign missing', 'PUT', `/api/v1/tickets/${id}/assignee`, { body: {} });
  await p('health', 'GET', '/health');
  await p('live', 'GET', '/health/live');
  await p('ready', 'GET', '/health/ready');
  await p('list hdrs', 'GET', '/api/v1/tickets?limit=1');
  const oa = await t.request('GET', '/openapi.json');
  out.push(['openapi', oa.status, oa.headers['content-type'], Object.fromEntries(Object.entries(oa.body.paths).map(([k, v]: any) => [k, Object.fromEntries(Object.entries(v).map(([m, o]: any) => [m, o.security]))]))]);
  const docs = await t.request('GET', '/docs');
  out.push(['docs', docs.status, docs.headers['content-type'], String(docs.body).slice(0, 100)]);
  const lh = await t.request('GET', '/api/v1/tickets?limit=1', { as: admin });
  out.push(['headers', lh.headers]);
  const noauth = await t.request('GET', '/api/v1/tickets');
  out.push(['noauth', noauth.status, noauth.headers['content-type'], noauth.body]);
  const garbage = await t.request('GET', '/api/v1/tickets', { token: 'garbage' });
  out.push(['garbage', garbage.status, garbage.body]);
  const noauthbad = await t.request('POST', '/api/v1/tickets', { rawBody: '{bad' });
  out.push(['noauth malformed', noauthbad.status, noauthbad.body]);
  (await import('node:fs')).writeFileSync('/tmp/probe.json', JSON.stringify(out, null, 1));
});
