import { mistralWorld } from './helpers/mistralWorld';
import { resetSuite } from './shared/reset';

// The shared reset-flow suite on Mistral's API; the engine suite runs it on a Temporal cluster too.
resetSuite(mistralWorld);
