import { mistralWorld } from './helpers/mistralWorld';
import { resetFaultsSuite } from './shared/resetFaults';

// The shared randomised-faults suite on Mistral's API; the engine suite runs it on a Temporal cluster too.
resetFaultsSuite(mistralWorld, 200);
