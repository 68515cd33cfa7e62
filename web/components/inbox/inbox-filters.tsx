import { useEffect, useRef } from 'react';
import { Form, Link } from 'react-router';
import { Button } from '~/components/ui/button';
import { Field } from '~/components/ui/field';
import { Input, Select } from '~/components/ui/input';
import { channelLabel } from '~/lib/format';
import { INBOX_SORTS, SAVED_VIEWS, type InboxSort, type SavedView } from '../../../domain/lead-inbox.schema';
import { STAGES } from '../../../domain/lead-stage.rules';
import { Channel } from '../../../domain/profile.schema';

const SORT_LABELS: Record<InboxSort, string> = { score: 'Score (hottest first)', sla: 'SLA due (soonest first)', last_message: 'Last message (newest first)', created: 'Created (newest first)' };

const viewHref = (v: SavedView) => `/leads?${new URLSearchParams(v.params).toString()}`;

/** The saved views: plain links, so a view can be bookmarked or sent to a colleague. */
export function SavedViews({ current, canHaveMine }: { current: string | null; canHaveMine: boolean }) {
  return (
    <nav className="views" aria-label="Saved views">
      <Link to="/leads" className="view-link" aria-current={current === 'all' ? 'page' : undefined}>
        All leads
      </Link>
      {SAVED_VIEWS.filter((v) => canHaveMine || v.params.owner !== 'mine').map((v) => (
        <Link key={v.id} to={viewHref(v)} className="view-link" aria-current={current === v.id ? 'page' : undefined} data-view={v.id}>
          {v.label}
        </Link>
      ))}
    </nav>
  );
}

type Params = Record<string, string>;

/** The query parameters that narrow the list (not the sort or the page), counted on the folded summary. */
const FILTER_KEYS = ['q', 'stage', 'status', 'owner', 'channel', 'qualified', 'minScore', 'source', 'campaign', 'needsReply', 'slaBreached', 'optedOut'];

/**
 * Filters and sort as a GET form: without JavaScript the browser submits it as a plain query
 * string, with it the router navigates; either way the URL carries the view. On a phone the form
 * would fill the first screen before any lead, so it folds behind a "Filters" disclosure there
 * (a native <details>, so it opens without JavaScript); wider screens show it open (app.css, and
 * the effect below for browsers that cannot style a closed <details> open).
 */
export function InboxFilters({ params, brokers, canHaveMine }: { params: Params; brokers: Array<{ id: string; name: string }>; canHaveMine: boolean }) {
  const v = (k: string) => params[k] ?? '';
  const flag = (k: string) => ['true', '1', 'on', 'yes'].includes(v(k));
  const active = FILTER_KEYS.filter((k) => v(k) !== '').length;
  const disclosure = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (disclosure.current && window.matchMedia('(min-width: 641px)').matches) disclosure.current.open = true;
  }, []);
  return (
    <details className="filters-disclosure" ref={disclosure} data-testid="inbox-filters">
      <summary>Filters{active > 0 ? ` (${active} on)` : ''}</summary>
      <Form method="get" action="/leads" className="filters" role="search" aria-label="Filter leads" key={JSON.stringify(params)}>
        <div className="filters-row">
          <Field label="Search" htmlFor="f-q">
            <Input id="f-q" name="q" type="search" defaultValue={v('q')} placeholder="Name, phone, e-mail or message" maxLength={200} />
          </Field>
          <Field label="Sort by" htmlFor="f-sort">
            <Select id="f-sort" name="sort" defaultValue={v('sort') || 'created'}>
              {INBOX_SORTS.map((s) => (
                <option key={s} value={s}>
                  {SORT_LABELS[s]}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <div className="filters-row">
          <Field label="Stage" htmlFor="f-stage">
            <Select id="f-stage" name="stage" defaultValue={v('stage') || v('status')}>
              <option value="">Any stage</option>
              {STAGES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Owner" htmlFor="f-owner">
            <Select id="f-owner" name="owner" defaultValue={v('owner')}>
              <option value="">Anyone</option>
              {canHaveMine ? <option value="mine">Mine</option> : null}
              <option value="unclaimed">Unclaimed</option>
              {brokers.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Channel" htmlFor="f-channel">
            <Select id="f-channel" name="channel" defaultValue={v('channel')}>
              <option value="">Any channel</option>
              {Channel.options.map((c) => (
                <option key={c} value={c}>
                  {channelLabel(c)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Qualified" htmlFor="f-qualified">
            <Select id="f-qualified" name="qualified" defaultValue={v('qualified')}>
              <option value="">Either</option>
              <option value="true">Qualified</option>
              <option value="false">Not qualified</option>
            </Select>
          </Field>
          <Field label="Min. score" htmlFor="f-min">
            <Input id="f-min" name="minScore" type="number" min={0} max={100} inputMode="numeric" defaultValue={v('minScore')} />
          </Field>
        </div>
        <div className="filters-row">
          <Field label="Source" htmlFor="f-source">
            <Input id="f-source" name="source" defaultValue={v('source')} placeholder="leadads, ad, web…" maxLength={80} />
          </Field>
          <Field label="Campaign" htmlFor="f-campaign">
            <Input id="f-campaign" name="campaign" defaultValue={v('campaign')} placeholder="Campaign id" maxLength={120} />
          </Field>
          <fieldset className="checks">
            <legend>Only</legend>
            <label>
              <input type="checkbox" name="needsReply" value="true" defaultChecked={flag('needsReply')} /> Needs reply
            </label>
            <label>
              <input type="checkbox" name="slaBreached" value="true" defaultChecked={flag('slaBreached')} /> SLA breached
            </label>
            <label>
              <input type="checkbox" name="optedOut" value="true" defaultChecked={flag('optedOut')} /> Opted out
            </label>
          </fieldset>
        </div>
        <div className="filters-actions">
          <Button type="submit">Apply</Button>
          <Link to="/leads" className="btn btn-secondary">
            Clear
          </Link>
        </div>
      </Form>
    </details>
  );
}
