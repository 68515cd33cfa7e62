import { z } from 'zod';

/** A boolean variable: true/1 or false/0 (empty counts as false), as shells and compose files write them. */
export const envFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((v) => v === 'true' || v === '1');
