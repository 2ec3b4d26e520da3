//! Outgoing email with lettre: SMTP when `SMTP_URL` is set, otherwise `.eml` files in
//! `MAIL_DIR` (development and tests: the dev mail page lists them, end-to-end tests
//! read them). Messages are plain text. Mail is sent after the transaction that made its
//! token commits, so a rolled-back change never mails a link that does not work.

use std::path::PathBuf;
use std::sync::Arc;

use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};

use super::config::{Config, MailConfig};
use super::error::AppError;

/// One message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

/// Sends mail through the configured transport. Cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    transport: Arc<Transport>,
    from: Mailbox,
}

impl Mailer {
    /// Builds the transport; the file transport's directory is created if missing.
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|e| anyhow::anyhow!("MAIL_FROM: {e}"))?;
        let transport = match &config.mail {
            MailConfig::Smtp { url } => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .map_err(|e| anyhow::anyhow!("SMTP_URL: {e}"))?
                    .timeout(Some(std::time::Duration::from_secs(10)))
                    .build(),
            ),
            MailConfig::Files { dir } => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| anyhow::anyhow!("MAIL_DIR {}: {e}", dir.display()))?;
                Transport::Files(AsyncFileTransport::new(dir), dir.clone())
            }
        };
        Ok(Self {
            transport: Arc::new(transport),
            from,
        })
    }

    /// Sends one message. Failures are internal errors (logged, generic to the user).
    pub async fn send(&self, mail: Mail) -> Result<(), AppError> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| anyhow::anyhow!("recipient address does not parse: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body)
            .map_err(|e| anyhow::anyhow!("building mail: {e}"))?;
        match &*self.transport {
            Transport::Smtp(t) => {
                t.send(message)
                    .await
                    .map_err(|e| anyhow::anyhow!("SMTP send failed: {e}"))?;
            }
            Transport::Files(t, dir) => {
                let id = t
                    .send(message)
                    .await
                    .map_err(|e| anyhow::anyhow!("writing mail file failed: {e}"))?;
                tracing::info!(
                    subject = %mail.subject,
                    file = %dir.join(format!("{id}.eml")).display(),
                    "mail written (development transport)"
                );
            }
        }
        Ok(())
    }

    /// Sends and only logs a failure: for notices whose loss must not fail the request
    /// that already committed (the user can ask for the link again).
    pub async fn send_logged(&self, mail: Mail) {
        let subject = mail.subject.clone();
        if let Err(err) = self.send(mail).await {
            tracing::error!(error = ?err, %subject, "could not send mail");
        }
    }
}

/// The texts of every message the service sends.
pub mod templates {
    use super::Mail;

    /// Confirm the address of a new account.
    pub fn verify_email(to: &str, name: &str, link: &str) -> Mail {
        Mail {
            to: to.into(),
            subject: "Confirm your email for Ledgerlens".into(),
            body: format!(
                "Hello {name},\n\nplease confirm your email address by opening this link \
                 (valid for 24 hours):\n\n{link}\n\nIf you did not create a Ledgerlens \
                 account, ignore this message.\n"
            ),
        }
    }

    /// Somebody tried to sign up with an address that already has an account.
    pub fn signup_existing(to: &str, login: &str, reset: &str) -> Mail {
        Mail {
            to: to.into(),
            subject: "Someone tried to sign up with your email".into(),
            body: format!(
                "Someone (perhaps you) tried to create a Ledgerlens account with this \
                 address, which already has one. Nothing was changed.\n\nLog in: {login}\n\
                 Forgot your password? {reset}\n"
            ),
        }
    }

    /// A password reset link.
    pub fn reset_password(to: &str, link: &str) -> Mail {
        Mail {
            to: to.into(),
            subject: "Reset your Ledgerlens password".into(),
            body: format!(
                "Somebody asked to reset the password of your Ledgerlens account. Open \
                 this link within 30 minutes to choose a new one (it works once):\n\n\
                 {link}\n\nIf it was not you, ignore this message; your password is \
                 unchanged.\n"
            ),
        }
    }

    /// An invitation to an organization.
    pub fn invitation(to: &str, inviter: &str, org: &str, role: &str, link: &str) -> Mail {
        Mail {
            to: to.into(),
            subject: format!("{inviter} invited you to {org} on Ledgerlens"),
            body: format!(
                "{inviter} invited you to join {org} on Ledgerlens as {role}.\n\nAccept \
                 the invitation (valid for 7 days):\n\n{link}\n"
            ),
        }
    }

    /// Notice after a password change.
    pub fn password_changed(to: &str, reset: &str) -> Mail {
        Mail {
            to: to.into(),
            subject: "Your Ledgerlens password was changed".into(),
            body: format!(
                "The password of your Ledgerlens account was just changed and every \
                 other session was logged out.\n\nIf this was not you, reset it now: {reset}\n"
            ),
        }
    }
}
