//! The deadline schedule both the query-contracts and the validation pallets keep: a map from
//! block to the (bounded) ids whose phase ends there, filled from the wanted block onwards and
//! drained by the pallet's `on_initialize`.

use codec::FullCodec;
use frame::{
	deps::frame_support::storage::StorageMap,
	prelude::*,
	traits::{One, Saturating},
};

/// How many blocks past a full slot a deadline may slip before scheduling fails.
pub const SCHEDULE_REACH: u32 = 64;

/// Put `id` in the first block from `at` whose slot has room (at most [`SCHEDULE_REACH`]
/// blocks later); that block, or `None` if every slot in reach is full.
pub fn schedule<M, B, Id, S>(id: Id, at: B) -> Option<B>
where
	M: StorageMap<B, BoundedVec<Id, S>, Query = BoundedVec<Id, S>>,
	B: FullCodec + Copy + Saturating + One,
	Id: FullCodec,
	S: Get<u32>,
{
	schedule_within::<M, B, Id, S>(id, at, SCHEDULE_REACH)
}

/// Put `id` in the first block of `at .. at + reach` whose slot has room (`reach` at most
/// [`SCHEDULE_REACH`]); that block, or `None` if every slot in it is full. A deadline moved
/// earlier searches only the blocks before its current one: its own slot already holds it.
pub fn schedule_within<M, B, Id, S>(id: Id, at: B, reach: u32) -> Option<B>
where
	M: StorageMap<B, BoundedVec<Id, S>, Query = BoundedVec<Id, S>>,
	B: FullCodec + Copy + Saturating + One,
	Id: FullCodec,
	S: Get<u32>,
{
	let mut block = at;
	let mut id = Some(id);
	for _ in 0..reach.min(SCHEDULE_REACH) {
		let placed = M::try_mutate(block, |v| match id.take() {
			Some(x) => v.try_push(x).map_err(|x| id = Some(x)),
			None => Ok(()),
		});
		if placed.is_ok() {
			return Some(block);
		}
		block = block.saturating_add(One::one());
	}
	None
}

/// How many ids may wait in the schedule at once: `S` per block over [`SCHEDULE_REACH`] blocks.
/// A pallet that keeps at most this many open items, each with one deadline, always finds a
/// slot within reach for the next deadline it sets (the other items hold at most
/// `capacity - 1` of the `capacity` slots of any window of `SCHEDULE_REACH` blocks).
pub fn capacity<S: Get<u32>>() -> u32 {
	S::get().saturating_mul(SCHEDULE_REACH)
}

/// How many slots a [`schedule`] from `want` probed to place at `placed` (all in reach when it
/// found none): what a call that moves a deadline is charged for it, out of the worst case it
/// declares (AUDIT M3).
pub fn probes<B>(want: B, placed: Option<B>) -> u32
where
	B: Copy + Saturating + frame::arithmetic::UniqueSaturatedInto<u32>,
{
	use frame::arithmetic::SaturatedConversion;
	placed
		.map(|b| b.saturating_sub(want).saturated_into::<u32>().saturating_add(1))
		.unwrap_or(SCHEDULE_REACH)
		.min(SCHEDULE_REACH)
}

/// Remove `id` from the slot of block `at` (the slot goes when it empties).
pub fn unschedule<M, B, Id, S>(id: &Id, at: B)
where
	M: StorageMap<B, BoundedVec<Id, S>, Query = BoundedVec<Id, S>>,
	B: FullCodec,
	Id: FullCodec + PartialEq,
	S: Get<u32>,
{
	M::mutate_exists(at, |maybe| {
		if let Some(v) = maybe {
			v.retain(|x| x != id);
			if v.is_empty() {
				*maybe = None;
			}
		}
	});
}
