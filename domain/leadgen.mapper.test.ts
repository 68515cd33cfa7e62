import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InboundMessage } from './inbound-message.schema';
import { GraphLeadSchema, graphTimeToIso, mapGraphLead, mapLeadgenWebhookBody, quoteLeadgenNumericIds } from './leadgen.mapper';

const raw = (name: string) => readFileSync(new URL(`../test/fixtures/meta/${name}`, import.meta.url), 'utf8');
const fixture = (name: string): unknown => JSON.parse(raw(name));
const lead = (name: string) => GraphLeadSchema.parse(fixture(name));

describe('mapLeadgenWebhook', () => {
  it('accepts numeric ids (as in Meta’s sample) and returns them as strings', () => {
    expect(mapLeadgenWebhookBody(fixture('leadgen-webhook-numeric-ids.json'))).toEqual({
      refs: [{ leadgenId: '123123123123', pageId: '123123123', formId: '12312312312', adId: '12312312312', adgroupId: '12312312312', createdTime: '2015-08-21T01:26:24.000Z' }],
      skipped: [],
    });
  });

  it('accepts string ids', () => {
    const { refs } = mapLeadgenWebhookBody(fixture('leadgen-webhook-string-ids.json'));
    expect(refs).toEqual([{ leadgenId: '444444444444', pageId: '153125381133', formId: '555555555555', adId: '666666666666', adgroupId: '777777777777', createdTime: '2025-06-15T15:06:40.000Z' }]);
  });

  it('accepts the testing tool payload without ad_id / adgroup_id', () => {
    const { refs, skipped } = mapLeadgenWebhookBody(fixture('leadgen-webhook-testing-tool.json'));
    expect(skipped).toEqual([]);
    expect(refs).toHaveLength(1);
    expect(refs[0]!.adId).toBeUndefined();
    expect(refs[0]!.adgroupId).toBeUndefined();
    expect(refs[0]!.leadgenId).toBe('444444444445');
  });

  it('refuses a numeric id that JSON.parse already corrupted, and keeps it exact once quoted', () => {
    const text = raw('leadgen-webhook-big-numeric-id.json');
    const naive = mapLeadgenWebhookBody(JSON.parse(text));
    expect(naive.refs).toEqual([]);
    expect(naive.skipped[0]).toMatchObject({ reason: 'invalid_change_value', detail: expect.stringContaining('precision') });
    const safe = mapLeadgenWebhookBody(JSON.parse(quoteLeadgenNumericIds(text)));
    expect(safe.refs[0]).toMatchObject({ leadgenId: '12345678901234567', pageId: '153125381133', formId: '555555555555' });
  });

  it('quoteLeadgenNumericIds leaves already-quoted ids and other numbers alone', () => {
    const text = raw('leadgen-webhook-string-ids.json');
    expect(quoteLeadgenNumericIds(text)).toBe(text);
    expect(quoteLeadgenNumericIds('{"leadgen_id": 12,"created_time":5}')).toBe('{"leadgen_id": "12","created_time":5}');
  });

  it('skips other fields, invalid values and duplicate leadgen ids without throwing', () => {
    const body = fixture('leadgen-webhook-string-ids.json') as { entry: Array<{ changes: unknown[] }> };
    const first = body.entry[0]!.changes[0];
    body.entry[0]!.changes.push(first, { field: 'feed', value: {} }, { field: 'leadgen', value: { leadgen_id: 'abc', page_id: '1', form_id: '2', created_time: 1 } });
    const { refs, skipped } = mapLeadgenWebhookBody(body);
    expect(refs).toHaveLength(1);
    expect(skipped).toMatchObject([{ reason: 'unhandled_field', field: 'feed' }, { reason: 'invalid_change_value', leadgenId: 'abc' }]);
  });

  it('rejects a non-page envelope', () => {
    expect(mapLeadgenWebhookBody(fixture('wa-text.json')).skipped[0]!.reason).toBe('invalid_envelope');
    expect(mapLeadgenWebhookBody(null).skipped[0]!.reason).toBe('invalid_envelope');
  });
});

describe('mapGraphLead', () => {
  it('maps the documented standard lead: contact, every answer, attribution and a leadgen message', () => {
    const mapped = mapGraphLead(lead('graph-lead-standard.json'));
    expect(mapped.contact).toEqual({ name: 'Joe Example', phone: '+16505551234', phoneValid: true, phoneRaw: '+16505551234', phoneLenient: '+16505551234', email: 'joe@example.com' });
    expect(mapped.formAnswers).toEqual({ car_make: 'Honda', full_name: 'Joe Example', email: 'joe@example.com', phone_number: '+16505551234', selected_dealer: '99213450' });
    expect(mapped.attribution).toEqual({ source: 'leadads', leadgen_id: '444444444444', ad_id: '666666666666', form_id: '555555555555', campaign_id: '888888888888', is_organic: false, platform: 'fb' });
    expect(InboundMessage.parse(mapped.message)).toEqual(mapped.message);
    expect(mapped.message).toMatchObject({ providerId: '444444444444', channel: 'leadads', kind: 'leadgen', receivedAt: '2015-02-28T08:49:14.000Z' });
    expect(mapped.message.text).toBe('car_make: Honda\nfull_name: Joe Example\nemail: joe@example.com\nphone_number: +16505551234\nselected_dealer: 99213450');
  });

  it('keeps Arabic custom questions verbatim and normalises the contact', () => {
    const mapped = mapGraphLead(lead('graph-lead-custom-arabic.json'));
    expect(mapped.contact).toEqual({ name: 'سارة أحمد', phone: '+971505550123', phoneValid: true, phoneRaw: '+971 50 555 0123', phoneLenient: '+971505550123', email: 'sara.ahmed@example.com' });
    expect(mapped.formAnswers['ما_هي_ميزانيتك؟']).toBe('من 1 إلى 2 مليون درهم');
    expect(mapped.formAnswers['المنطقة_المفضلة']).toBe('دبي مارينا');
    expect(mapped.message.text).toContain('عدد_غرف_النوم: 3');
    expect(mapped.attribution.platform).toBe('ig');
  });

  it('maps each answer to its profile field or keeps it as a note', () => {
    const mapped = mapGraphLead(lead('graph-lead-custom-arabic.json'));
    const byKey = Object.fromEntries(mapped.answers.fields.map((f) => [f.key, f.field]));
    expect(byKey['ما_هي_ميزانيتك؟']).toBe('budget');
    expect(byKey['المنطقة_المفضلة']).toBe('area');
    expect(byKey['عدد_غرف_النوم']).toBe('beds');
    expect(mapped.answers.notes.map((n) => n.key)).toEqual(expect.arrayContaining(['email', 'phone_number']));
    const car = mapGraphLead(lead('graph-lead-standard.json'));
    expect(car.answers.fields).toEqual([]);
  });

  it('keeps Spanish custom questions, joins multi-select values, builds the name from first/last', () => {
    const mapped = mapGraphLead(lead('graph-lead-custom-spanish.json'), { defaultCountry: 'ES', ref: { formId: '555555555557' } });
    expect(mapped.contact).toEqual({ name: 'Lucía Martínez', phone: '+34612345678', phoneValid: true, phoneRaw: '612 34 56 78', phoneLenient: '+34612345678' });
    expect(mapped.formAnswers['¿qué_tipo_de_vivienda_buscas?']).toBe('ático, dúplex');
    expect(mapped.formAnswers['¿cuál_es_tu_presupuesto?']).toBe('300.000 € – 400.000 €');
    expect(mapped.attribution).toMatchObject({ ad_id: null, campaign_id: null, is_organic: true, form_id: '555555555557' });
  });

  it('keeps an unparseable phone raw and marks it invalid', () => {
    const l = lead('graph-lead-custom-spanish.json');
    const mapped = mapGraphLead(l);
    expect(mapped.contact.phone).toBe('612 34 56 78');
    expect(mapped.contact.phoneValid).toBe(false);
  });

  it('rejects a lead payload without id', () => {
    expect(GraphLeadSchema.safeParse({ created_time: '2015-02-28T08:49:14+0000', field_data: [] }).success).toBe(false);
  });
});

describe('graphTimeToIso', () => {
  it('handles Graph’s +0000 offsets', () => {
    expect(graphTimeToIso('2026-03-14T10:21:05+0400')).toBe('2026-03-14T06:21:05.000Z');
    expect(graphTimeToIso('not a date')).toBe('not a date');
  });
});
