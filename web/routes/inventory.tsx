import { Form, Link, data, useActionData, useNavigation } from 'react-router';
import type { Route } from './+types/inventory';
import { Alert } from '~/components/ui/alert';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { Input, Select } from '~/components/ui/input';
import { money } from '~/lib/format';
import { ApiError } from '~/lib/api.server';
import { requireAuth } from '~/lib/session.server';
import type { Unit } from '../../domain/profile.schema';
import type { LeadSummary } from '../../domain/lead-summary.schema';
import { loadInventory, sendUnit, type InventoryFilters, type InventoryMatch, type SendUnitResult } from './inventory.server';

export const meta: Route.MetaFunction = () => [{ title: 'Inventory · Leadline' }];

export async function loader({ request, context }: Route.LoaderArgs) {
  try {
    return data(await loadInventory(requireAuth(context), new URL(request.url)));
  } catch (err) {
    if (err instanceof ApiError) throw data(err.message, { status: err.status });
    throw err;
  }
}

export async function action({ request, context }: Route.ActionArgs) {
  const { result, status } = await sendUnit(requireAuth(context), await request.formData());
  return data(result, { status });
}

/** The page's own address with one parameter changed: opening a unit keeps the search. */
function withParam(filters: InventoryFilters, key: keyof InventoryFilters, value: string): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') p.set(k, String(v));
  p.set(key, value);
  return `/inventory?${p}`;
}

const priceOf = (u: Unit) => `${money(u.price, u.currency)}${u.listing === 'rent' ? (u.rentPeriod === 'month' ? '/month' : '/year') : ''}`;
const bedsOf = (u: Unit) => (u.beds === 0 ? 'Studio' : `${u.beds}-bed ${u.propertyType}`);

export default function InventoryPage({ loaderData }: Route.ComponentProps) {
  const { filters, invalid, results, unit, leads } = loaderData;
  const sent = useActionData<typeof action>();
  return (
    <>
      <h1>Inventory</h1>
      <Card title="Search">
        <Form method="get" className="stack" aria-label="Search inventory">
          {filters.lead ? <input type="hidden" name="lead" value={filters.lead} /> : null}
          <Field label="In words" htmlFor="inv-q" hint='What the lead asked for, e.g. "sea view, near the metro, a big balcony"'>
            <Input id="inv-q" name="q" defaultValue={filters.q ?? ''} maxLength={500} />
          </Field>
          <div className="row">
            <Field label="Listing" htmlFor="inv-listing">
              <Select id="inv-listing" name="listing" defaultValue={filters.listing ?? ''}>
                <option value="">Any</option>
                <option value="sale">For sale</option>
                <option value="rent">To rent</option>
              </Select>
            </Field>
            <Field label="City" htmlFor="inv-city">
              <Input id="inv-city" name="city" defaultValue={filters.city ?? ''} maxLength={80} />
            </Field>
            <Field label="Area" htmlFor="inv-area">
              <Input id="inv-area" name="area" defaultValue={filters.area ?? ''} maxLength={80} />
            </Field>
            <Field label="Beds" htmlFor="inv-beds">
              <Input id="inv-beds" name="beds" type="number" min={0} max={20} defaultValue={filters.beds ?? ''} />
            </Field>
            <Field label="Max price" htmlFor="inv-max" hint="in the unit's currency">
              <Input id="inv-max" name="maxPrice" type="number" min={1} defaultValue={filters.maxPrice ?? ''} />
            </Field>
          </div>
          <div>
            <Button type="submit">Search</Button>
          </div>
        </Form>
        {invalid ? <Alert>Some filters were ignored: {invalid}</Alert> : null}
      </Card>
      {sent ? <SentNotice result={sent} /> : null}
      {unit ? <UnitDetail unit={unit} leads={leads} leadId={filters.lead ?? null} /> : null}
      {results === null ? (
        <p className="muted">Describe the home in words, add filters, and search.</p>
      ) : results.length === 0 ? (
        <p className="muted" data-testid="inventory-empty">
          Nothing in stock matches these filters.
        </p>
      ) : (
        <Card title={`${results.length} matches`}>
          <div className="stack" data-testid="inventory-results">
            {results.map((m) => (
              <ResultRow key={m.unit.id} match={m} detailHref={withParam(filters, 'unit', m.unit.id)} leads={leads} leadId={filters.lead ?? null} />
            ))}
          </div>
        </Card>
      )}
    </>
  );
}

function SentNotice({ result }: { result: SendUnitResult }) {
  if (result.ok) {
    return (
      <Alert tone="success" testId="send-unit-result">
        {result.notice}. <Link to={`/leads/${result.leadId}`}>Open the lead</Link>
      </Alert>
    );
  }
  return <Alert testId="send-unit-result">Not sent: {result.error.message}</Alert>;
}

/**
 * The ranking calls the max price filter a budget. Without a lead chosen that reads as the lead's
 * budget when nobody's is meant ("slightly outside budget"), so budget reasons need a lead.
 */
function shownReasons(match: InventoryMatch, leadChosen: boolean): string[] {
  return match.reasons.filter((r) => !match.match.features.includes(r) && (leadChosen || !/\bbudget\b/.test(r)));
}

function ResultRow({ match, detailHref, leads, leadId }: { match: InventoryMatch; detailHref: string; leads: LeadSummary[]; leadId: string | null }) {
  const u = match.unit;
  const reasons = shownReasons(match, leadId !== null);
  return (
    <div className="inventory-result" data-testid="inventory-result" data-unit-id={u.id}>
      <div>
        <strong>{u.title}</strong> <Badge>{u.id}</Badge> <Badge tone="info">match {match.score}</Badge>
      </div>
      <div className="muted">
        {bedsOf(u)} in {u.area}, {u.city} · {priceOf(u)} · {Math.round(u.areaM2)} m² · {u.listing === 'rent' ? 'to rent' : 'for sale'}
      </div>
      {match.match.features.length > 0 ? (
        <div data-testid="match-why">
          Why: {match.match.features.join(', ')}
          {match.match.missing.length > 0 ? <span className="muted"> (not: {match.match.missing.join(', ')})</span> : null}
        </div>
      ) : null}
      {reasons.length > 0 ? <div className="muted">{reasons.join(' · ')}</div> : null}
      <div className="row">
        <Link to={detailHref}>Details</Link>
        <SendForm unitId={u.id} leads={leads} leadId={leadId} place="result" />
      </div>
    </div>
  );
}

function UnitDetail({ unit, leads, leadId }: { unit: Unit; leads: LeadSummary[]; leadId: string | null }) {
  return (
    <Card title={unit.title}>
      <div className="stack" data-testid="unit-detail">
        <div>
          <Badge>{unit.id}</Badge> {bedsOf(unit)} in {unit.area}, {unit.city} · {priceOf(unit)} · {unit.baths} baths · {Math.round(unit.areaM2)} m² · {unit.completion}
        </div>
        <p>{unit.description}</p>
        {unit.features.length > 0 ? <div>Features: {unit.features.join(', ')}</div> : null}
        <SendForm unitId={unit.id} leads={leads} leadId={leadId} place="detail" />
      </div>
    </Card>
  );
}

/** `place`: the same unit's form shows in its result row and in the open detail; their ids must differ. */
function SendForm({ unitId, leads, leadId, place }: { unitId: string; leads: LeadSummary[]; leadId: string | null; place: 'result' | 'detail' }) {
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting' && navigation.formData?.get('unitId') === unitId;
  const id = `send-${place}-${unitId}`;
  return (
    <Form method="post" className="row" aria-label={`Send ${unitId} to a lead`}>
      <input type="hidden" name="intent" value="send" />
      <input type="hidden" name="unitId" value={unitId} />
      <label className="sr-only" htmlFor={id}>
        Lead for {unitId}
      </label>
      <Select id={id} name="leadId" defaultValue={leadId ?? ''} required>
        <option value="">Pick a lead…</option>
        {leads.map((l) => (
          <option key={l.id} value={l.id}>
            {l.contact.name ?? 'Unnamed lead'} · {l.stage}
          </option>
        ))}
      </Select>
      <Button type="submit" size="sm" variant="secondary" disabled={busy}>
        {busy ? 'Sending…' : 'Send to lead'}
      </Button>
    </Form>
  );
}
