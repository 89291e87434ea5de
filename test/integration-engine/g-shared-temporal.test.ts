/**
 * The shared suites (test/integration/shared: tree, reset flow, faults, security, randomised reset
 * faults) on a Temporal workspace: the real dev server and a real temporalio worker, through the
 * sandbox's pass-through (temporalWorld.ts). The main suite runs the same on Mistral's API.
 */
import { extensionApi } from '../integration/helpers/env';
import { faultsSuite } from '../integration/shared/faults';
import { resetSuite } from '../integration/shared/reset';
import { resetFaultsSuite } from '../integration/shared/resetFaults';
import { securitySuite } from '../integration/shared/security';
import { treeSuite } from '../integration/shared/tree';
import { backToEngineSandbox } from './helpers';
import { temporalWorld } from './temporalWorld';

describe('The shared suites on a Temporal workspace (real engine)', () => {
  treeSuite(temporalWorld);
  resetSuite(temporalWorld);
  faultsSuite(temporalWorld);
  securitySuite(temporalWorld);
  // Every new run is run by the engine: fewer runs than on the in-memory sandbox.
  resetFaultsSuite(temporalWorld, 40);

  after(async () => backToEngineSandbox((await extensionApi()).services));
});
