import { mistralWorld } from './helpers/mistralWorld';
import { resetSafetySuite } from './shared/resetSafety';

// The shared suite on Mistral's API; the engine suite runs it on a Temporal cluster too.
resetSafetySuite(mistralWorld);
