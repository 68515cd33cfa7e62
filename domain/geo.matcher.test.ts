import { describe, expect, it } from 'vitest';
import { areaNameIn, geoMatch } from './geo.matcher';
import { nearestArea, PIN_RADIUS_KM } from './pin.matcher';

describe('geoMatch', () => {
  it.each([
    ['2 bed in Dubai Marina', 'AE', 'Dubai', ['Dubai Marina']],
    ['1BR in JVC', 'AE', 'Dubai', ['Jumeirah Village Circle']],
    ['the Marina please', 'AE', 'Dubai', ['Dubai Marina']],
    ['rent 1 bed marina', 'AE', 'Dubai', ['Dubai Marina']],
    ['Dubai Marena', 'AE', 'Dubai', ['Dubai Marina']],
    ['Jumeira Village Cirle', 'AE', 'Dubai', ['Jumeirah Village Circle']],
    ['Palm Jumeira villa', 'AE', 'Dubai', ['Palm Jumeirah']],
    ['busines bay', 'AE', 'Dubai', ['Business Bay']],
    ['Business Bay or Creek Harbour', 'AE', 'Dubai', ['Business Bay', 'Dubai Creek Harbour']],
    ['Reem island 2br', 'AE', 'Abu Dhabi', ['Al Reem Island']],
    ['Villa on the Palm', 'AE', 'Dubai', ['Palm Jumeirah']],
    ['Arabian Ranch 2', 'AE', 'Dubai', ['Arabian Ranches 2']],
    ['Canary Wharf or Stratford', 'GB', 'London', ['Canary Wharf', 'Stratford']],
    ['Chelsea', 'GB', 'London', ['Chelsea']],
    ['Chelsea', 'US', 'New York', ['Chelsea']],
    ['UES or UWS', 'US', 'New York', ['Upper East Side', 'Upper West Side']],
    ['3BHK in Powai', 'IN', 'Mumbai', ['Powai']],
    ['Bangalore, HSR', 'IN', 'Bengaluru', ['HSR Layout']],
    ['Looking in Dubai', 'AE', 'Dubai', []],
    ['1 or 2 bedrooms, JVC or Arjan', 'AE', 'Dubai', ['Jumeirah Village Circle', 'Arjan']],
  ] as const)('%s (%s)', (text, market, city, areas) => {
    const g = geoMatch(text, market);
    expect(g.city).toBe(city);
    expect(g.areas).toEqual(areas);
  });

  it('keeps areas in the order first mentioned', () => {
    expect(geoMatch('Town Square, Al Furjan, then JVC, Al Furjan again', 'AE').areas).toEqual(['Town Square', 'Al Furjan', 'Jumeirah Village Circle']);
  });

  it('resolves ambiguity by city context', () => {
    expect(geoMatch('Chelsea', 'GB', 'New York').city).toBe('New York');
    expect(geoMatch('Chelsea in New York', 'GB').city).toBe('New York');
  });

  it('leaves out areas the lead rules out', () => {
    expect(geoMatch('anywhere except JVC, maybe Al Furjan or Town Square', 'AE')).toMatchObject({ areas: ['Al Furjan', 'Town Square'], excludedAreas: ['Jumeirah Village Circle'] });
    expect(geoMatch('not JVC, JLT please', 'AE').areas).toEqual(['Jumeirah Lake Towers']);
    expect(geoMatch('anywhere but Deira or Bur Dubai, Mirdif ok', 'AE').areas).toEqual(['Mirdif']);
    expect(geoMatch('JVC is out, Arjan', 'AE').areas).toEqual(['Arjan']);
    expect(geoMatch('not sure, maybe JVC', 'AE').areas).toEqual(['Jumeirah Village Circle']);
  });

  it.each([
    ['I saw your AD'], ['DM me'], ['the views are great'], ['marine engineer here'], ['hi this is Reem'], ['I have a DIP from HSBC'],
    ['palm trees in the garden'], ['we like spring and summer'], ['I will be there on Monday'], ['Is this still available?'],
  ])('does not turn ordinary words into places: %j', (text) => {
    expect(geoMatch(text, 'AE').areas).toEqual([]);
  });

  it('does not take the place a lead comes from as the place they want', () => {
    expect(geoMatch("I'm relocating from London to Dubai in March", 'AE')).toMatchObject({ city: 'Dubai', cities: ['Dubai'] });
    expect(geoMatch('Worli 4BHK, funds coming from Dubai', 'IN')).toMatchObject({ city: 'Mumbai', areas: ['Worli'] });
    expect(geoMatch('I live in Dubai Marina, want to move to JLT', 'AE').areas).toEqual(['Jumeirah Lake Towers']);
  });

  it('prefers the city in the lead market when several are named', () => {
    expect(geoMatch('London or Dubai, not sure yet', 'AE').city).toBe('Dubai');
  });

  it('rules out every place in a list after a negation, and a place replaced with "instead of"', () => {
    expect(geoMatch('Not JVC or JVT please. 1 bed in Al Barsha', 'AE')).toMatchObject({
      areas: ['Al Barsha'], excludedAreas: ['Jumeirah Village Circle', 'Jumeirah Village Triangle'],
    });
    expect(geoMatch('not JVC, JLT or Marina is fine', 'AE').areas).toEqual(['Jumeirah Lake Towers', 'Dubai Marina']);
    expect(geoMatch('actually Bluewaters instead of Marina', 'AE')).toMatchObject({ areas: ['Bluewaters Island'], excludedAreas: ['Dubai Marina'] });
  });

  it('reads abbreviated and shortened area names', () => {
    expect(geoMatch('rent a studio in Intl City', 'AE').areas).toEqual(['International City']);
    expect(geoMatch('2 bed in Al Reem, sale', 'AE').areas).toEqual(['Al Reem Island']);
    expect(geoMatch('Reem or Raha', 'AE').areas).toEqual(['Al Reem Island', 'Al Raha Beach']);
    expect(geoMatch('al reef villa', 'AE').areas).toEqual(['Al Reef']);
  });

  it('reads a singular written for a plural in an area name', () => {
    expect(geoMatch('Jumeira Lake Tower or JBR', 'AE').areas).toEqual(['Jumeirah Lake Towers', 'Jumeirah Beach Residence']);
    expect(geoMatch('moving in the spring, Marina please', 'AE').areas).toEqual(['Dubai Marina']);
  });

  it('rules out a place the lead drops ("forget JLT", "scrap Deira")', () => {
    expect(geoMatch('actually forget JLT, only Marina and JBR', 'AE')).toMatchObject({
      areas: ['Dubai Marina', 'Jumeirah Beach Residence'], excludedAreas: ['Jumeirah Lake Towers'],
    });
    expect(geoMatch('scrap Deira, Bur Dubai is better', 'AE').areas).toEqual(['Bur Dubai']);
    expect(geoMatch('forget about Stratford, Hackney only', 'GB').areas).toEqual(['Hackney']);
    // the verb with another object does not rule out the place after it
    expect(geoMatch('drop me the listings in JVC', 'AE').areas).toEqual(['Jumeirah Village Circle']);
  });

  it('of several cities named, takes the one the wanted areas are in', () => {
    expect(geoMatch('I sold my place in Manchester and want to buy in London - Islington', 'GB')).toMatchObject({ city: 'London', areas: ['Islington'] });
    expect(geoMatch('Manchester, ideally Ancoats', 'GB').city).toBe('Manchester');
  });
});

describe('places in Arabic and Devanagari, and pins', () => {
  it('finds areas and cities by their Arabic and Devanagari aliases', () => {
    expect(geoMatch('شقة في دبي مارينا أو مرسى دبي', 'AE')).toMatchObject({ areas: ['Dubai Marina'], city: 'Dubai' });
    expect(geoMatch('فيلا في جزيرة الريم', 'AE')).toMatchObject({ areas: ['Al Reem Island'], city: 'Abu Dhabi' });
    expect(geoMatch('2 BHK पवई में', 'IN')).toMatchObject({ areas: ['Powai'], city: 'Mumbai' });
    expect(geoMatch('दुबई मरीना में फ्लैट', 'AE')).toMatchObject({ areas: ['Dubai Marina'] });
  });

  it('never reads a place name across punctuation', () => {
    expect(geoMatch('Damac Hills, 2 million', 'AE').areas).toEqual(['Damac Hills']);
    expect(geoMatch('Damac Hills 2, 1 million', 'AE').areas).toEqual(['Damac Hills 2']);
  });

  it('maps a pin to the nearest area centroid within its radius, and to nothing further away', () => {
    expect(nearestArea(25.0771, 55.1396)).toMatchObject({ area: 'Dubai Marina', city: 'Dubai' });
    expect(nearestArea(25.0693, 55.141)).toMatchObject({ area: 'Jumeirah Lake Towers' });
    expect(nearestArea(19.118, 72.905)).toMatchObject({ area: 'Powai', city: 'Mumbai' });
    expect(nearestArea(24.83, 55.37)).toBeNull();
    expect(nearestArea(37.44, -122.16)).toBeNull();
    expect(nearestArea(Number.NaN, 55)).toBeNull();
    // just outside Powai's default radius, due north
    expect(nearestArea(19.1176 + (PIN_RADIUS_KM + 0.1) / 111.2, 72.906)).toBeNull();
    expect(nearestArea(19.1176 + (PIN_RADIUS_KM - 0.1) / 111.2, 72.906)).toMatchObject({ area: 'Powai' });
  });

  it('gives the Arabic and Devanagari name of an area for replies', () => {
    expect(areaNameIn('Dubai Hills Estate', 'Arabic')).toBe('دبي هيلز');
    expect(areaNameIn('Powai', 'Devanagari')).toBe('पवई');
    expect(areaNameIn('Shoreditch', 'Arabic')).toBeNull();
  });
});
