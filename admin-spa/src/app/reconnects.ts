import { createContext } from 'react';

/** The live connection (the WebSocket new orders arrive on) as the screens need to know it. */
export interface LiveConnection {
  /** How many times it came back after a drop (what arrived meanwhile was missed). */
  reconnects: number;
  /** It dropped, or could not connect, and is being retried: nothing arrives live meanwhile. */
  down: boolean;
}

export const LiveConnectionContext = createContext<LiveConnection>({ reconnects: 0, down: false });
