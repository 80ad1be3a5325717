import type { T2 } from './zz-t2.js'; export interface T1 { t2: T2 }
