// Signing out ends the session on the server too (`signOut` moves the admin's session version
// on), so a copied token stops working at once. The panel forgets the session whatever the
// server answers: an unreachable server must not keep anyone signed in here.
import { useCallback, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { useAuth } from './AuthProvider';

const SignOutMutation = graphql(`
  mutation SignOut {
    signOut
  }
`);

export function useSignOut(): { signOut: () => Promise<void>; signingOut: boolean } {
  const auth = useAuth();
  const [, run] = useMutation(SignOutMutation);
  const [signingOut, setSigningOut] = useState(false);
  const signOut = useCallback(async () => {
    setSigningOut(true);
    auth.retire('signOut');
    try {
      await run({});
    } finally {
      setSigningOut(false);
      auth.signOut('signedOut');
    }
  }, [run, auth]);
  return { signOut, signingOut };
}
