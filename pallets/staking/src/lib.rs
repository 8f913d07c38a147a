//! # LLM-Net staking pallet
//!
//! The registry every other LLM-Net pallet stands on (PROTOCOL section 2).
//!
//! This first part holds the **domain registry**: the LLM expertise domains (math, code,
//! medicine, law, ...) that providers declare and that queries are addressed to. Domains are
//! created by [`Config::DomainOrigin`] (root on the dev chain) or at genesis, and can be
//! retired; a retired domain keeps its id (ids are never reused) so historical queries still
//! resolve.
//!
//! Provider registration, bonds, delegation, rewards and slashes build on this registry (issue 3).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod weights;

/// Identifier of an LLM domain.
pub type DomainId = u32;

#[frame::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame::prelude::*;

	/// A registered domain.
	#[derive(
		Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
	)]
	#[scale_info(skip_type_params(MaxLen))]
	pub struct DomainInfo<MaxLen: Get<u32>, BlockNumber> {
		/// Human-readable name, unique among registered domains (e.g. `math`).
		pub name: BoundedVec<u8, MaxLen>,
		/// Whether new registrations and queries may use the domain.
		pub active: bool,
		/// Block at which the domain was registered (0 at genesis).
		pub registered_at: BlockNumber,
	}

	/// The domain record type of a runtime.
	pub type DomainInfoOf<T> = DomainInfo<<T as Config>::MaxDomainNameLen, BlockNumberFor<T>>;

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Origin allowed to register and retire domains.
		type DomainOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Maximum number of domains ever registered (ids are never reused).
		#[pallet::constant]
		type MaxDomains: Get<u32>;
		/// Maximum length of a domain name in bytes.
		#[pallet::constant]
		type MaxDomainNameLen: Get<u32>;
		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Registered domains by id.
	#[pallet::storage]
	pub type Domains<T: Config> = StorageMap<_, Twox64Concat, DomainId, DomainInfoOf<T>>;

	/// Reverse index: domain name to id. Holds exactly the names of `Domains`.
	#[pallet::storage]
	pub type DomainIdByName<T: Config> =
		StorageMap<_, Blake2_128Concat, BoundedVec<u8, T::MaxDomainNameLen>, DomainId>;

	/// The id the next registered domain gets; also the number of domains ever registered.
	#[pallet::storage]
	pub type NextDomainId<T: Config> = StorageValue<_, DomainId, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Domain names registered at genesis, in id order starting at 0.
		pub domains: Vec<Vec<u8>>,
		#[serde(skip)]
		pub _marker: PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for name in &self.domains {
				let bounded: BoundedVec<u8, T::MaxDomainNameLen> = match name.clone().try_into() {
					Ok(b) => b,
					Err(_) => {
						log::error!(target: LOG_TARGET, "genesis domain name too long: {name:?}");
						continue;
					}
				};
				if let Err(e) = Pallet::<T>::do_register_domain(bounded) {
					log::error!(target: LOG_TARGET, "genesis domain {name:?} rejected: {e:?}");
				}
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A domain was registered.
		DomainRegistered { domain: DomainId, name: BoundedVec<u8, T::MaxDomainNameLen> },
		/// A domain was retired: no new registrations or queries may use it.
		DomainRetired { domain: DomainId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The domain name is empty.
		EmptyDomainName,
		/// The domain name is longer than `MaxDomainNameLen`.
		DomainNameTooLong,
		/// A domain with this name already exists.
		DuplicateDomainName,
		/// `MaxDomains` domains have already been registered.
		TooManyDomains,
		/// No domain has this id.
		UnknownDomain,
		/// The domain is already retired.
		DomainAlreadyRetired,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register a new LLM domain. Names are unique, non-empty and at most
		/// `MaxDomainNameLen` bytes.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_domain())]
		pub fn register_domain(origin: OriginFor<T>, name: Vec<u8>) -> DispatchResult {
			T::DomainOrigin::ensure_origin(origin)?;
			let name: BoundedVec<u8, T::MaxDomainNameLen> =
				name.try_into().map_err(|_| Error::<T>::DomainNameTooLong)?;
			Self::do_register_domain(name).map(|_| ())
		}

		/// Retire a domain: it stays readable but is no longer active.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::retire_domain())]
		pub fn retire_domain(origin: OriginFor<T>, domain: DomainId) -> DispatchResult {
			T::DomainOrigin::ensure_origin(origin)?;
			Domains::<T>::try_mutate(domain, |maybe| {
				let info = maybe.as_mut().ok_or(Error::<T>::UnknownDomain)?;
				ensure!(info.active, Error::<T>::DomainAlreadyRetired);
				info.active = false;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::DomainRetired { domain });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Register `name` as a new domain and return its id.
		pub fn do_register_domain(
			name: BoundedVec<u8, T::MaxDomainNameLen>,
		) -> Result<DomainId, DispatchError> {
			ensure!(!name.is_empty(), Error::<T>::EmptyDomainName);
			ensure!(!DomainIdByName::<T>::contains_key(&name), Error::<T>::DuplicateDomainName);
			let id = NextDomainId::<T>::get();
			ensure!(id < T::MaxDomains::get(), Error::<T>::TooManyDomains);
			let next = id.checked_add(1).ok_or(Error::<T>::TooManyDomains)?;
			let info = DomainInfo {
				name: name.clone(),
				active: true,
				registered_at: frame_system::Pallet::<T>::block_number(),
			};
			Domains::<T>::insert(id, info);
			DomainIdByName::<T>::insert(&name, id);
			NextDomainId::<T>::put(next);
			Self::deposit_event(Event::DomainRegistered { domain: id, name });
			Ok(id)
		}

		/// Whether `domain` exists and is active.
		pub fn is_active_domain(domain: DomainId) -> bool {
			Domains::<T>::get(domain).is_some_and(|d| d.active)
		}

		/// All registered domains in id order (at most `MaxDomains`), for the runtime API.
		pub fn domain_views() -> Vec<crate::runtime_api::DomainView> {
			(0..NextDomainId::<T>::get())
				.filter_map(|id| {
					Domains::<T>::get(id).map(|d| crate::runtime_api::DomainView {
						id,
						name: d.name.into_inner(),
						active: d.active,
					})
				})
				.collect()
		}

		/// Storage invariants, checked by `try-runtime` and after every unit test.
		#[cfg(any(feature = "try-runtime", test))]
		pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			let next = NextDomainId::<T>::get();
			ensure!(next <= T::MaxDomains::get(), "more domains than MaxDomains");
			let mut count: u32 = 0;
			for (id, info) in Domains::<T>::iter() {
				ensure!(id < next, "domain id at or above NextDomainId");
				ensure!(!info.name.is_empty(), "empty domain name");
				ensure!(
					DomainIdByName::<T>::get(&info.name) == Some(id),
					"name index does not point back to the domain"
				);
				count = count.saturating_add(1);
			}
			ensure!(count == next, "domain ids are not dense");
			ensure!(
				DomainIdByName::<T>::iter().count() == count as usize,
				"name index has entries without a domain"
			);
			Ok(())
		}
	}
}

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::llmnet-staking";
