package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"taphuan/database"
)

// Envelope is one message ready for a channel.
type Envelope struct {
	FromName    string // the organization's sender name
	ReplyTo     string // the organization's reply-to ("" none)
	To          string
	Subject     string
	Text        string
	MessageID   string // fixed at enqueue: the same on every attempt
	Attachments []Attachment
}

// Attachment is a file sent with a message.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Sender delivers envelopes on one channel. Only e-mail exists now; an SMS or Zalo
// gateway is another Sender with its own Channel, whose rows it alone claims.
type Sender interface {
	Channel() string
	Send(ctx context.Context, e *Envelope) error
}

// PermanentError marks a failure that retrying cannot fix (a refused address): the
// message fails at once.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// UnavailableError marks a channel that cannot be reached at all (the SMTP server is
// down): nothing was sent, the message is not to blame, so no attempt is counted and the
// sender waits before it tries the channel again. Messages never fail because of an
// outage; they wait in the outbox, with the error shown.
type UnavailableError struct{ Err error }

func (e *UnavailableError) Error() string { return e.Err.Error() }
func (e *UnavailableError) Unwrap() error { return e.Err }

// backoff is the wait after the n-th failed attempt: base (30 s), ×4 after each next
// (2 min, 8 min, …), at most 2 h.
func backoff(base time.Duration, n int) time.Duration {
	d := base
	for i := 1; i < n && d < 2*time.Hour; i++ {
		d *= 4
	}
	return min(d, 2*time.Hour)
}

// claim takes up to limit due messages of channel for owner, for the lease. One UPDATE
// in the single write transaction: two instances never claim the same row (on PostgreSQL
// the outer conditions are checked again on a row another claim changed meanwhile), and a row
// whose lease ran out (its sender died mid-send) is due again. The attempt is counted at
// claim, so a sender that dies while sending still uses up an attempt.
func (s *Service) claim(ctx context.Context, channel, owner string, limit int, dueBy time.Time) ([]int64, error) {
	now := time.Now()
	ids := []int64{}
	err := s.db.W.SelectContext(ctx, &ids, `UPDATE notify_messages SET lease_owner = ?, lease_until = ?, attempts = attempts + 1
		WHERE id IN (SELECT id FROM notify_messages
			WHERE status = 'queued' AND channel = ? AND next_at <= ? AND lease_until < ?
			ORDER BY next_at, id LIMIT ?)
			AND status = 'queued' AND lease_until < ?
		RETURNING id`, owner, database.FormatTime(now.Add(s.cfg.Lease)), channel,
		database.FormatTime(dueBy), database.FormatTime(now), limit, database.FormatTime(now))
	if err != nil {
		return nil, fmt.Errorf("notify: claim: %w", err)
	}
	return ids, nil
}

// markSent records a delivery, if owner still holds the claim.
func (s *Service) markSent(ctx context.Context, id int64, owner string) error {
	_, err := s.db.W.ExecContext(ctx, `UPDATE notify_messages SET status = 'sent', sent_at = ?, last_error = '',
		lease_owner = '', lease_until = '' WHERE id = ? AND lease_owner = ?`, database.Now(), id, owner)
	if err != nil {
		return fmt.Errorf("notify: mark %d sent: %w", id, err)
	}
	return nil
}

// markFailed records a failed attempt: the message waits its backoff, or fails for good
// after MaxAttempts (or at once for a PermanentError).
func (s *Service) markFailed(ctx context.Context, id int64, owner string, attempts int, sendErr error) error {
	msg := truncate(sendErr.Error())
	var perm *PermanentError
	status, next := StatusQueued, time.Now().Add(backoff(s.cfg.Backoff, attempts))
	if attempts >= s.cfg.MaxAttempts || errors.As(sendErr, &perm) {
		status = StatusFailed
	}
	_, err := s.db.W.ExecContext(ctx, `UPDATE notify_messages SET status = ?, last_error = ?, next_at = ?,
		lease_owner = '', lease_until = '' WHERE id = ? AND lease_owner = ?`,
		status, msg, database.FormatTime(next), id, owner)
	if err != nil {
		return fmt.Errorf("notify: mark %d failed: %w", id, err)
	}
	return nil
}

// renew gives owner's claim on a message a full lease again, just before it is sent, so
// that a batch claimed at once never outlives its lease mid-way. False when the claim was
// lost meanwhile (its lease ran out and another sender took it): then it is not sent.
func (s *Service) renew(ctx context.Context, id int64, owner string) (bool, error) {
	now := time.Now()
	res, err := s.db.W.ExecContext(ctx, `UPDATE notify_messages SET lease_until = ?
		WHERE id = ? AND lease_owner = ? AND status = 'queued' AND lease_until > ?`,
		database.FormatTime(now.Add(s.cfg.Lease)), id, owner, database.FormatTime(now))
	if err != nil {
		return false, fmt.Errorf("notify: renew %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// release gives back owner's claims on ids without counting the attempt (the channel was
// unavailable); lastErr, when set, is recorded on them.
func (s *Service) release(ctx context.Context, ids []int64, owner, lastErr string) error {
	for _, id := range ids {
		q := `UPDATE notify_messages SET attempts = attempts - 1, lease_owner = '', lease_until = ''`
		args := []any{}
		if lastErr != "" {
			q += `, last_error = ?`
			args = append(args, lastErr)
		}
		args = append(args, id, owner)
		if _, err := s.db.W.ExecContext(ctx, q+` WHERE id = ? AND lease_owner = ?`, args...); err != nil {
			return fmt.Errorf("notify: release %d: %w", id, err)
		}
	}
	return nil
}

// deliver sends one claimed message. An UnavailableError from the sender comes back as
// it is, with the claim released; other send errors are the message's (markFailed).
func (s *Service) deliver(ctx context.Context, snd Sender, id int64, owner string) error {
	if ok, err := s.renew(ctx, id, owner); err != nil || !ok {
		return err
	}
	m, err := s.FindMessageByID(ctx, id)
	if err != nil {
		return err
	}
	env, err := s.render(ctx, m)
	if err == nil {
		sctx, cancel := context.WithTimeout(ctx, s.cfg.Lease/2)
		err = snd.Send(sctx, env)
		cancel()
	}
	if ctx.Err() != nil {
		return ctx.Err() // shutting down: the lease runs out and another sender retries
	}
	var down *UnavailableError
	if errors.As(err, &down) {
		if rerr := s.release(ctx, []int64{id}, owner, truncate(err.Error())); rerr != nil {
			return rerr
		}
		return err
	}
	if err != nil {
		return s.markFailed(ctx, id, owner, m.Attempts, err)
	}
	return s.markSent(ctx, id, owner)
}

// SendDue claims and sends the messages due when it is called on snd's channel, one batch
// after the other until none is left (a message that fails now waits for the next call);
// returns how many it handled. When the channel is unavailable it stops at once, gives the
// rest of the batch back and returns the *UnavailableError.
func (s *Service) SendDue(ctx context.Context, snd Sender, owner string) (int, error) {
	done, dueBy := 0, time.Now()
	for {
		ids, err := s.claim(ctx, snd.Channel(), owner, 20, dueBy)
		if err != nil || len(ids) == 0 {
			return done, err
		}
		for i, id := range ids {
			if err := s.deliver(ctx, snd, id, owner); err != nil {
				if rerr := s.release(context.WithoutCancel(ctx), ids[i+1:], owner, ""); rerr != nil {
					return done, rerr
				}
				return done, err
			}
			done++
		}
	}
}

func truncate(msg string) string {
	if len(msg) > 500 {
		return msg[:500]
	}
	return msg
}

// Run is the sender loop of `serve`: until ctx ends it queues the reminders that are due
// and sends what is due, every Poll. With snd nil (no SMTP configured) it only queues:
// messages wait in the outbox.
func (s *Service) Run(ctx context.Context, snd Sender, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	owner := newToken()
	var lastReminders time.Time
	down := 0 // polls in a row that found the channel unavailable: the wait doubles, up to a minute
	for {
		if time.Since(lastReminders) > time.Minute {
			if _, err := s.QueueReminders(ctx, time.Now()); err != nil && ctx.Err() == nil {
				log.Error("notify: reminders", "err", err)
			}
			lastReminders = time.Now()
		}
		wait := s.cfg.Poll
		if snd != nil {
			_, err := s.SendDue(ctx, snd, owner)
			var unavailable *UnavailableError
			switch {
			case ctx.Err() != nil:
			case errors.As(err, &unavailable):
				if down == 0 {
					log.Warn("notify: channel unavailable; messages wait", "channel", snd.Channel(), "err", err)
				}
				down++
				wait = min(s.cfg.Poll<<min(down, 10), time.Minute)
			case err != nil:
				log.Error("notify: send", "err", err)
			default:
				if down > 0 {
					log.Info("notify: channel back", "channel", snd.Channel())
				}
				down = 0
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}
