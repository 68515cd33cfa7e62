import { describe, expect, it } from 'vitest';
import { AppError, errorBody, notFound } from './errors';

describe('AppError', () => {
  it('renders the documented envelope', () => {
    expect(errorBody(new AppError('invalid_stage', 409, 'Cannot move', { from: 'won' }))).toEqual({
      error: { code: 'invalid_stage', message: 'Cannot move', details: { from: 'won' } },
    });
  });
  it('uses null details when none are given', () => {
    const err = notFound('Lead');
    expect(err.status).toBe(404);
    expect(errorBody(err)).toEqual({ error: { code: 'not_found', message: 'Lead not found', details: null } });
  });
});
