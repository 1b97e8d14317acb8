// New orders cannot be missed: besides the toast, an optional chime and an optional browser
// notification (for when the panel is in a background tab). Both are this browser's choice,
// kept in its storage; the browser's own permission gates the notifications.
import { useSyncExternalStore } from 'react';
import { readItem, writeItem } from '../lib/storage';

export interface AlertPrefs {
  /** A short chime on every new order. */
  sound: boolean;
  /** A browser notification for a new order while the panel is not in front. */
  desktop: boolean;
}

const KEY = 'orderdesk.alerts';
const OFF: AlertPrefs = { sound: false, desktop: false };

export function parsePrefs(raw: string | null): AlertPrefs {
  if (!raw) return OFF;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return OFF;
    const record = value as Record<string, unknown>;
    return { sound: record.sound === true, desktop: record.desktop === true };
  } catch {
    return OFF;
  }
}

let current: AlertPrefs = parsePrefs(readItem(KEY));
const listeners = new Set<() => void>();

export function alertPrefs(): AlertPrefs {
  return current;
}

export function setAlertPrefs(patch: Partial<AlertPrefs>): void {
  current = { ...current, ...patch };
  writeItem(KEY, JSON.stringify(current));
  for (const listener of listeners) listener();
}

export function useAlertPrefs(): AlertPrefs {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    alertPrefs,
    alertPrefs,
  );
}

/** What the browser lets us do with notifications. */
export type DesktopPermission = NotificationPermission | 'unsupported';

export function desktopPermission(): DesktopPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks for permission (only ever from a click); true when notifications may be shown. */
export async function requestDesktopPermission(): Promise<boolean> {
  if (typeof Notification === 'undefined') return false;
  if (Notification.permission === 'granted') return true;
  try {
    return (await Notification.requestPermission()) === 'granted';
  } catch {
    return false;
  }
}

let audio: AudioContext | null = null;

/** Prepares the chime's audio from a click, where browsers allow audio to start. */
export function unlockSound(): void {
  try {
    audio ??= new AudioContext();
    void audio.resume();
  } catch {
    audio = null;
  }
}

/** Two short rising tones, synthesized: no asset to load, quiet enough for an office. */
export function playChime(): void {
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    for (const [offset, frequency] of [
      [0, 660],
      [0.16, 880],
    ] as const) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.14);
      tone.connect(gain).connect(audio.destination);
      tone.start(start + offset);
      tone.stop(start + offset + 0.15);
    }
  } catch {
    // No audio here (blocked, unsupported): the toast still shows.
  }
}

/** The panel is not what the admin is looking at: another tab, window or application. */
export function panelInBackground(): boolean {
  return document.visibilityState !== 'visible' || !document.hasFocus();
}

/** A browser notification for one order; a click brings the panel forward on its card. */
export function showDesktopNotification(
  title: string,
  body: string,
  tag: string,
  onOpen: () => void,
): void {
  if (desktopPermission() !== 'granted') return;
  try {
    const notification = new Notification(title, {
      body,
      tag,
      lang: document.documentElement.lang,
    });
    notification.onclick = () => {
      window.focus();
      onOpen();
      notification.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker: the toast still shows.
  }
}
