import { b } from '../adapters/persistence/zz-b.js'; export const m = () => b;
