//! Many short lists of numbers in one flat table: the rules each literal occurs in, the body of
//! each instance, the instances each one beats. A ground theory has hundreds of thousands of
//! these lists, most with one or two entries; a `Vec` each would be an allocation each.

/// The lists of keys `0..n`, each in the order its entries were given.
#[derive(Clone, Debug, Default)]
pub struct Lists {
    /// `items[start[k]..start[k + 1]]` is the list of key `k`.
    start: Vec<u32>,
    items: Vec<u32>,
}

impl Lists {
    /// The lists of `keys` keys from `(key, item)` pairs (a counting sort, stable).
    pub fn from_pairs(keys: usize, pairs: &[(u32, u32)]) -> Lists {
        let mut start = vec![0u32; keys + 1];
        for &(key, _) in pairs {
            start[key as usize + 1] += 1;
        }
        for k in 0..keys {
            start[k + 1] += start[k];
        }
        let mut next = start.clone();
        let mut items = vec![0u32; pairs.len()];
        for &(key, item) in pairs {
            items[next[key as usize] as usize] = item;
            next[key as usize] += 1;
        }
        Lists { start, items }
    }

    /// Lists given one after the other: `lengths[k]` items of `items` for key `k`.
    pub fn from_lengths(lengths: impl Iterator<Item = usize>, items: Vec<u32>) -> Lists {
        let mut start = vec![0u32];
        for length in lengths {
            start.push(start[start.len() - 1] + length as u32);
        }
        debug_assert_eq!(start[start.len() - 1] as usize, items.len());
        Lists { start, items }
    }

    /// The list of `key`.
    pub fn of(&self, key: usize) -> &[u32] {
        &self.items[self.start[key] as usize..self.start[key + 1] as usize]
    }

    /// How many keys there are.
    pub fn count(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// The length of the list of `key`.
    pub fn len_of(&self, key: usize) -> usize {
        (self.start[key + 1] - self.start[key]) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::Lists;

    #[test]
    fn pairs_are_grouped_by_key_in_the_order_given() {
        let lists = Lists::from_pairs(4, &[(2, 7), (0, 1), (2, 5), (2, 7)]);
        assert_eq!(lists.of(0), [1]);
        assert!(lists.of(1).is_empty());
        assert_eq!(lists.of(2), [7, 5, 7]);
        assert!(lists.of(3).is_empty());
        assert_eq!(lists.len_of(2), 3);
    }

    #[test]
    fn lengths_split_the_items() {
        let lists = Lists::from_lengths([2, 0, 1].into_iter(), vec![4, 5, 6]);
        assert_eq!(lists.of(0), [4, 5]);
        assert!(lists.of(1).is_empty());
        assert_eq!(lists.of(2), [6]);
    }
}
