import { b } from '../persistence/zz-b.js'; import { q } from '../queue/zz-q.js'; export const a = [b, q];
