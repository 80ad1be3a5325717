import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
export type Q = Queue;
export const r = Redis;
