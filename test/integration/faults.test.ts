import { mistralWorld } from './helpers/mistralWorld';
import { faultsSuite } from './shared/faults';

// The shared fault suite on Mistral's API; the engine suite runs it on a Temporal cluster too.
faultsSuite(mistralWorld);
