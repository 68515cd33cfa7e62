import { describe, expect, it } from 'vitest';
import { contactDetailsIn, extractContactDetails } from './contact-details.extractor';

describe('extractContactDetails', () => {
  it.each([
    ['My name is Hannah, my number is +971 55 987 6543', { name: 'Hannah', phone: '+971559876543', email: null }],
    ['Hi this is John Smith, john.smith@Example.com', { name: 'John Smith', phone: null, email: 'john.smith@example.com' }],
    ['اسمي سارة ورقمي ٠٥٠١٢٣٤٥٦٧', { name: 'سارة', phone: '+971501234567', email: null }],
    ['मेरा नाम प्रिया है', { name: 'प्रिया', phone: null, email: null }],
    ['mera naam rahul hai, 00971 50 123 4567', { name: 'Rahul', phone: '+971501234567', email: null }],
  ])('%s', (text, expected) => {
    expect(extractContactDetails(text, 'AE')).toEqual(expected);
  });

  it('takes no name from "I\'m looking", no phone from a budget or an invalid number, no e-mail from a half address', () => {
    expect(extractContactDetails("I'm looking for a 2 bed, budget 2500000", 'AE')).toEqual({ name: null, phone: null, email: null });
    expect(extractContactDetails('call me on 12345', 'AE').phone).toBeNull();
    expect(extractContactDetails('email me at hannah@', 'AE').email).toBeNull();
  });

  it('reads local numbers in the market’s region, and keeps the newest detail across a conversation', () => {
    expect(extractContactDetails('my mobile is 07911 123456', 'GB').phone).toBe('+447911123456');
    const d = contactDetailsIn(
      [
        { from: 'lead', text: 'my number is 050 123 4567' },
        { from: 'agent', text: 'Call me Maybe, +971 55 000 0000' },
        { from: 'lead', text: 'sorry, use +971 55 987 6543 instead' },
      ],
      'AE',
    );
    expect(d).toEqual({ name: null, phone: '+971559876543', email: null });
  });
});
