//! Layer 6, the lifecycle.
