import { extractProfile } from '../domain/profile.extractor';
import type { Market } from '../domain/profile.schema';
const [market, now, ...msgs] = process.argv.slice(2);
const conv = msgs.map((t) => t.startsWith('A:') ? { from: 'agent' as const, text: t.slice(2) } : { from: 'lead' as const, text: t });
const p = extractProfile(conv, market as Market, now!);
console.log(JSON.stringify(Object.fromEntries(Object.entries(p).filter(([, v]) => v !== null && !(Array.isArray(v) && !v.length) && v !== false))));
