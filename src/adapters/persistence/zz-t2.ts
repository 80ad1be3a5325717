import type { T1 } from './zz-t1.js'; export interface T2 { t1: T1 }
