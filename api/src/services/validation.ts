/** Shared zod pieces for service inputs: every string has a max length. */
import { z } from 'zod';
import { ROLES } from '../auth/roles';

export const emailSchema = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .email('must be an email address')
  .transform((s) => s.toLowerCase());
export const passwordSchema = z.string().min(10, 'must be at least 10 characters').max(256, 'must be at most 256 characters');
export const displayNameSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
export const roleSchema = z.enum(ROLES);
/** A client-supplied id: must look like a uuid before we ask the database. */
export const idSchema = z.string().uuid('must be an id returned by this API');
