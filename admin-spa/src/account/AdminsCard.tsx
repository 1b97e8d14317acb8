// Who can sign in: every admin account (another admin can be removed — their sessions end at
// once), invitations still open, and inviting someone by e-mail. The invitation's link carries
// its one-time code after `#`, which browsers never send to a server or in a Referer.
import { useId, useState, type SubmitEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { useAuth } from '../auth/AuthProvider';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorMessage, useErrorText } from '../components/ErrorMessage';
import { useToasts } from '../components/Toasts';
import { graphql } from '../gql';
import { useI18n } from '../i18n/I18nProvider';
import { firstError } from '../lib/errors';
import { formatDate, formatDateTime } from '../lib/format';
import { EMAIL_MAX, inputMaxLength } from '../lib/limits';
import { invitationLink } from './invitationLink';
import { ActionButton } from '../components/ActionButton';

const AdminsQuery = graphql(`
  query Admins {
    me {
      id
    }
    admins {
      id
      email
      createdAt
    }
    invitations {
      id
      email
      expiresAt
    }
  }
`);

const InviteMutation = graphql(`
  mutation InviteAdmin($email: String!) {
    inviteAdmin(email: $email) {
      code
      invitation {
        id
        email
        expiresAt
      }
    }
  }
`);

const RemoveAdminMutation = graphql(`
  mutation RemoveAdmin($id: ID!) {
    removeAdmin(id: $id)
  }
`);

const RevokeInvitationMutation = graphql(`
  mutation RevokeInvitation($id: ID!) {
    revokeInvitation(id: $id)
  }
`);

const CONTEXT = { additionalTypenames: ['Admin', 'Invitation'] };

export function AdminsCard() {
  const { t, locale } = useI18n();
  const { session } = useAuth();
  const { push } = useToasts();
  const id = useId();
  const [{ data, error }, refetch] = useQuery({ query: AdminsQuery, context: CONTEXT });
  const [invite, runInvite] = useMutation(InviteMutation);
  const [, runRemove] = useMutation(RemoveAdminMutation);
  const [, runRevoke] = useMutation(RevokeInvitationMutation);
  const [email, setEmail] = useState('');
  const [issued, setIssued] = useState<{ email: string; link: string; expiresAt: string } | null>(
    null,
  );
  const [removing, setRemoving] = useState<{ id: string; email: string } | null>(null);
  const errorText = useErrorText();
  const inviteError = firstError(invite.error);
  const emailError = inviteError ? errorText(inviteError) : null;

  const onInvite = async (event: SubmitEvent) => {
    event.preventDefault();
    setIssued(null);
    const result = await runInvite({ email: email.trim() });
    const payload = result.data?.inviteAdmin;
    if (payload) {
      setIssued({
        email: payload.invitation.email,
        link: invitationLink(payload.code),
        expiresAt: payload.invitation.expiresAt,
      });
      setEmail('');
      refetch({ requestPolicy: 'network-only' });
    }
  };

  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      push({ title: t('admins.copied') });
    } catch {
      push({ title: t('admins.copyFailed') });
    }
  };

  return (
    <section className="card account__card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('admins.title')}</h2>
      <ErrorMessage error={error} />
      <ul className="account__list" data-testid="admin-list">
        {data?.admins.map((admin) => (
          <li key={admin.id} className="account__row">
            <span className="account__email">
              {admin.email}
              {admin.id === data.me.id ? <span className="muted"> · {t('admins.you')}</span> : null}
            </span>
            <span className="muted">
              {t('admins.since', { date: formatDate(admin.createdAt, locale) })}
            </span>
            {admin.id !== data.me.id ? (
              <button
                type="button"
                className="button button--small button--danger"
                aria-label={t('admins.removeNamed', { email: admin.email })}
                onClick={() => setRemoving({ id: admin.id, email: admin.email })}
              >
                {t('admins.remove')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>

      <h3>{t('admins.inviteTitle')}</h3>
      <p className="muted">{t('admins.inviteIntro')}</p>
      <form className="form" onSubmit={(e) => void onInvite(e)} noValidate>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-email`}>
            {t('admins.inviteEmail')}
          </label>
          <input
            id={`${id}-email`}
            type="email"
            name="inviteEmail"
            autoComplete="off"
            required
            maxLength={inputMaxLength(EMAIL_MAX)}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={emailError ? true : undefined}
            aria-describedby={emailError ? `${id}-email-err` : undefined}
          />
          {emailError ? (
            <span className="field__error" id={`${id}-email-err`}>
              {emailError}
            </span>
          ) : null}
        </div>
        <div className="form__actions">
          <ActionButton type="submit" className="button button--primary" inactive={invite.fetching}>
            {t('admins.inviteAction')}
          </ActionButton>
        </div>
      </form>
      {issued ? (
        <div className="alert alert--info account__issued" role="status" data-testid="invitation">
          <p>
            {t('admins.issued', {
              email: issued.email,
              until: formatDateTime(issued.expiresAt, locale),
            })}
          </p>
          <input
            type="text"
            readOnly
            className="input--code account__link"
            aria-label={t('admins.link')}
            value={issued.link}
            onFocus={(e) => e.target.select()}
            data-testid="invitation-link"
          />
          <button
            type="button"
            className="button button--small"
            onClick={() => void copy(issued.link)}
          >
            {t('admins.copy')}
          </button>
        </div>
      ) : null}

      {data && data.invitations.length > 0 ? (
        <>
          <h3>{t('admins.openInvitations')}</h3>
          <ul className="account__list" data-testid="invitation-list">
            {data.invitations.map((invitation) => (
              <li key={invitation.id} className="account__row">
                <span className="account__email">{invitation.email}</span>
                <span className="muted">
                  {t('admins.until', { until: formatDateTime(invitation.expiresAt, locale) })}
                </span>
                <button
                  type="button"
                  className="button button--small button--ghost"
                  aria-label={t('admins.withdrawNamed', { email: invitation.email })}
                  onClick={() =>
                    void runRevoke({ id: invitation.id }, CONTEXT).then(() =>
                      refetch({ requestPolicy: 'network-only' }),
                    )
                  }
                >
                  {t('admins.withdraw')}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <ConfirmDialog
        open={removing !== null}
        title={t('admins.removeTitle')}
        confirmLabel={t('admins.remove')}
        onCancel={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          const target = removing;
          const result = await runRemove({ id: target.id }, CONTEXT);
          setRemoving(null);
          if (result.error) {
            push({ title: t('admins.removeFailed'), tone: 'urgent' });
          } else {
            push({ title: t('admins.removed', { email: target.email }) });
            refetch({ requestPolicy: 'network-only' });
          }
        }}
      >
        <p>{t('admins.removeBody', { email: removing?.email ?? '', me: session?.email ?? '' })}</p>
      </ConfirmDialog>
    </section>
  );
}
