-- The cart's tables as the release before versioned migrations created
-- them (AutoMigrate of its models), dumped from a database it set up.
CREATE TABLE `gobware_products` (
  `sku` varbinary(64) NOT NULL,
  `name` varchar(255) NOT NULL,
  `price_cents` bigint(20) NOT NULL,
  PRIMARY KEY (`sku`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `gobware_cart_items` (
  `user_id` varbinary(255) NOT NULL,
  `sku` varbinary(64) NOT NULL,
  `quantity` bigint(20) NOT NULL,
  `created_at` datetime(3) NOT NULL,
  PRIMARY KEY (`user_id`,`sku`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
