import { mistralWorld } from './helpers/mistralWorld';
import { securitySuite } from './shared/security';

// The shared security suite on Mistral's API; the engine suite runs it on a Temporal cluster too.
securitySuite(mistralWorld);
