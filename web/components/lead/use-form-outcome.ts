import { useEffect, useRef } from 'react';
import { useActionData, useNavigation, useRouteLoaderData } from 'react-router';
import type { loader as rootLoader } from '../../root';
import type { BrokerRef, LeadActionResult, LeadIntent } from './lead-action.types';

/** The outcome of the last submission of this form (matched by intent, and task for per-task forms). */
export function useFormOutcome(intent: LeadIntent, taskId?: string) {
  const actionData = useActionData<LeadActionResult>();
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const mine = actionData && actionData.intent === intent && (taskId === undefined || actionData.taskId === taskId) ? actionData : undefined;
  const pending = navigation.state !== 'idle' && navigation.formData?.get('intent') === intent && (taskId === undefined || navigation.formData?.get('taskId') === taskId);
  // Clear the form only once its command went through; a rejection keeps every typed character.
  useEffect(() => {
    if (mine?.ok) formRef.current?.reset();
  }, [mine]);
  return {
    formRef,
    pending,
    error: mine && !mine.ok ? mine.error : null,
    notice: mine?.ok ? mine.notice : null,
    // Only a refused submission sets default values (for the no-JS round trip). Otherwise none: React
    // re-applies a select's defaultValue on hydration and would undo a choice made before the scripts ran.
    value: (name: string) => (mine && !mine.ok ? mine.values[name] : undefined),
  };
}

/** The signed-in user (from the root loader): decides which forms to offer. The API decides what goes through. */
export const useMe = () => useRouteLoaderData<typeof rootLoader>('root')?.user ?? null;

export const brokerLabel = (brokers: BrokerRef[], id: string | null | undefined) => {
  if (!id) return null;
  const b = brokers.find((x) => x.id === id);
  return b ? `${b.name} (${b.id})` : id;
};

export const brokerName = (brokers: BrokerRef[], id: string) => brokers.find((x) => x.id === id)?.name ?? id;
