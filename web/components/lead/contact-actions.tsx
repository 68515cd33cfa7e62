// Call, WhatsApp and e-mail the lead from the page: plain links the phone or desktop hands to
// its dialler, WhatsApp and mail app. Unverified details (typed in a chat) are marked as such.

interface ContactLinks {
  phone: string | null;
  email: string | null;
  waId: string | null;
  claimed: { phone: string | null; email: string | null } | null;
}

const digits = (phone: string) => phone.replace(/[^\d]/g, '');

export function contactLinks(c: ContactLinks) {
  const phone = c.phone ?? c.claimed?.phone ?? null;
  const email = c.email ?? c.claimed?.email ?? null;
  const wa = c.waId ?? phone;
  return {
    tel: phone ? `tel:${phone.replace(/[^\d+]/g, '')}` : null,
    whatsapp: wa && digits(wa).length >= 6 ? `https://wa.me/${digits(wa)}` : null,
    mailto: email ? `mailto:${email}` : null,
    unverified: { phone: !c.phone && Boolean(c.claimed?.phone), email: !c.email && Boolean(c.claimed?.email) },
  };
}

export function ContactActions({ contact, name }: { contact: ContactLinks; name: string }) {
  const links = contactLinks(contact);
  if (!links.tel && !links.whatsapp && !links.mailto) return <p className="muted small">No phone or e-mail for this lead yet.</p>;
  return (
    <div className="contact-actions" data-testid="contact-actions">
      {links.tel ? (
        <a className="btn btn-secondary" href={links.tel} aria-label={`Call ${name}`}>
          Call{links.unverified.phone ? ' (unverified)' : ''}
        </a>
      ) : null}
      {links.whatsapp ? (
        <a className="btn btn-secondary" href={links.whatsapp} target="_blank" rel="noreferrer" aria-label={`WhatsApp ${name}`}>
          WhatsApp
        </a>
      ) : null}
      {links.mailto ? (
        <a className="btn btn-secondary" href={links.mailto} aria-label={`E-mail ${name}`}>
          E-mail{links.unverified.email ? ' (unverified)' : ''}
        </a>
      ) : null}
    </div>
  );
}
