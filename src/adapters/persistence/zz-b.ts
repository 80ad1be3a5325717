import { m } from '../../modules/zz-m.js'; export const b = m;
