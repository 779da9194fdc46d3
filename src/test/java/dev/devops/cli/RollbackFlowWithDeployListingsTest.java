package dev.devops.cli;

/**
 * The rollback flows again, on a platform that also answers the per-deploy file listing and
 * download: Netlify answers them in practice without documenting them, and the CLI uses them when
 * they are there.
 */
@PlatformTest.WithUndocumentedEndpoints
class RollbackFlowWithDeployListingsTest extends RollbackFlowTest {}
