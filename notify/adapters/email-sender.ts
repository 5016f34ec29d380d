// E-mail over SMTP with nodemailer (NOTIFY_SMTP_URL, NOTIFY_MAIL_FROM). Without NOTIFY_SMTP_URL e-mail is off:
// subscriptions by e-mail are refused and nothing is sent.
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { EmailPort } from '../ports.ts';

export class SmtpEmail implements EmailPort {
  private readonly transport: Transporter | undefined;
  readonly enabled: boolean;

  constructor(o: { smtpUrl: string | undefined; from: string }) {
    this.enabled = o.smtpUrl !== undefined;
    this.transport = o.smtpUrl
      ? nodemailer.createTransport(smtpOptions(o.smtpUrl), { from: o.from })
      : undefined;
  }

  async send(m: { to: string; subject: string; text: string; deliveryId: string }): Promise<void> {
    if (!this.transport) throw new Error('e-mail is not configured (NOTIFY_SMTP_URL)');
    await this.transport.sendMail({
      to: m.to,
      subject: m.subject,
      text: m.text,
      headers: { 'X-Preempt-Delivery': m.deliveryId },
    });
  }

  close(): void {
    this.transport?.close();
  }
}

/** The SMTP URL without its password, for logs and health. */
export const redactSmtpUrl = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:[redacted]@');

/** smtp://user:pass@host:port (STARTTLS when offered) or smtps:// (TLS from the start), with bounded timeouts. */
export function smtpOptions(url: string): SMTPTransport.Options {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username
      ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } }
      : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
}
