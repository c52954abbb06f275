//! The reference data every fact hangs off: regions, vendors, agencies and
//! their information systems, contracts, users; and the rows the jobs write
//! that the edges read (notices, breaches).

pub mod agencies;
pub mod breaches;
pub mod contracts;
pub mod notices;
pub mod regions;
pub mod systems;
pub mod users;
pub mod vendors;
