import { describe, expect, it } from 'vitest';
import { detectOptOut, isOptOut } from './opt-out.detector';

describe('detectOptOut', () => {
  it.each([
    'STOP', 'stop', 'Stop.', 'STOPALL', 'stop all', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'stop please', 'Please stop',
    'stop messaging me', 'Please stop messaging me, I bought already', "don't message me again", 'opt out',
    'الغاء', 'إلغاء الاشتراك', 'توقف', 'أوقف الرسائل من فضلك', 'बंद करो', 'मुझे मैसेज मत भेजो', 'band karo', 'please message mat karo',
  ])('%s is a stop', (text) => {
    expect(detectOptOut(text)).toBe('stop');
    expect(isOptOut(text)).toBe(true);
  });

  it.each([
    'I want to stop renting and buy a flat', 'the end of the year', 'cancel my viewing on Saturday and book Sunday', 'when does the bus stop',
    'Hi, 2 bed in Dubai Marina', 'help me find a villa', 'نبحث عن شقة', 'मुझे 2 BHK चाहिए',
  ])('%s is not a stop', (text) => {
    expect(isOptOut(text)).toBe(false);
  });

  it('reads START and HELP', () => {
    expect(detectOptOut('START')).toBe('start');
    expect(detectOptOut('unstop')).toBe('start');
    expect(detectOptOut('HELP')).toBe('help');
    expect(detectOptOut('info?')).toBe('help');
  });
});
