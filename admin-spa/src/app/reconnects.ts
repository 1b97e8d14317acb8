import { createContext } from 'react';

/** How many times the live connection came back after a drop (what arrived meanwhile was missed). */
export const ReconnectsContext = createContext(0);
