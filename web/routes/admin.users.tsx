import { Form, data, useActionData } from 'react-router';
import type { Route } from './+types/admin.users';
import { Alert } from '~/components/ui/alert';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { Input, Select } from '~/components/ui/input';
import { requireRole } from '~/lib/session.server';
import { adminAction, listUsers } from './admin.users.server';

export const meta: Route.MetaFunction = () => [{ title: 'Users · Leadline' }];

export async function loader({ context }: Route.LoaderArgs) {
  return { users: await listUsers(requireRole(context, ['admin'])) };
}

export async function action({ context, request }: Route.ActionArgs) {
  const { status, result } = await adminAction(requireRole(context, ['admin']), await request.formData());
  return data(result, { status });
}

export default function UsersPage({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Users</h1>
      {result ? <Alert tone={result.ok ? 'success' : 'error'} testId="admin-result">{result.message}</Alert> : null}
      <Card title="Invite someone">
        <Form method="post" className="stack" aria-label="Invite user">
          <input type="hidden" name="intent" value="invite" />
          <div className="row">
            <Field label="E-mail" htmlFor="invite-email">
              <Input id="invite-email" name="email" type="email" required />
            </Field>
            <Field label="Name" htmlFor="invite-name">
              <Input id="invite-name" name="name" required maxLength={200} />
            </Field>
            <Field label="Role" htmlFor="invite-role">
              <Select id="invite-role" name="role" defaultValue="broker">
                <option value="broker">Broker</option>
                <option value="manager">Manager</option>
                <option value="admin">Admin</option>
              </Select>
            </Field>
            <Field label="Broker id (optional)" htmlFor="invite-broker" hint="Link an existing broker; a new broker gets one.">
              <Input id="invite-broker" name="brokerId" maxLength={64} />
            </Field>
          </div>
          <div>
            <Button type="submit">Send invitation</Button>
          </div>
        </Form>
      </Card>
      <Card title={`${loaderData.users.length} users`}>
        <table data-testid="users">
          <thead>
            <tr>
              <th>Person</th>
              <th>Role</th>
              <th>Status</th>
              <th>Routing</th>
              <th>Hours and zone</th>
            </tr>
          </thead>
          <tbody>
            {loaderData.users.map((u) => (
              <tr key={u.id} data-user-email={u.email}>
                <td>
                  <div>{u.name}</div>
                  <div className="muted small">{u.email}</div>
                  {u.brokerId ? <div className="muted small">{u.brokerId}</div> : null}
                </td>
                <td>{u.role}</td>
                <td>
                  {u.active ? (u.invited ? <Badge tone="warn">invited</Badge> : <Badge tone="good">active</Badge>) : <Badge>deactivated</Badge>}
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="set-active" />
                    <input type="hidden" name="userId" value={u.id} />
                    <input type="hidden" name="active" value={String(!u.active)} />
                    <Button type="submit" size="sm" variant={u.active ? 'danger' : 'secondary'} aria-label={`${u.active ? 'Deactivate' : 'Reactivate'} ${u.email}`}>
                      {u.active ? 'Deactivate' : 'Reactivate'}
                    </Button>
                  </Form>
                </td>
                <td>
                  {u.brokerId ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="set-paused" />
                      <input type="hidden" name="userId" value={u.id} />
                      <input type="hidden" name="paused" value={String(!u.paused)} />
                      <Button type="submit" size="sm" variant="secondary">
                        {u.paused ? 'Resume routing' : 'Pause routing'}
                      </Button>
                    </Form>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="hours" />
                    <input type="hidden" name="userId" value={u.id} />
                    <Input name="workingHours" placeholder="09:00-18:00" defaultValue={u.workingHours ?? ''} aria-label={`Working hours of ${u.email}`} size={11} />
                    <Input name="timeZone" placeholder="Asia/Dubai" defaultValue={u.timeZone ?? ''} aria-label={`Time zone of ${u.email}`} size={14} />
                    <Button type="submit" size="sm" variant="secondary">
                      Save
                    </Button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}
