-- The cart's tables as the release before versioned migrations created
-- them (AutoMigrate of its models), dumped from a database it set up.
CREATE TABLE `gobware_products` (`sku` text,`name` text NOT NULL,`price_cents` integer NOT NULL,PRIMARY KEY (`sku`));
CREATE TABLE `gobware_cart_items` (`user_id` text,`sku` text,`quantity` integer NOT NULL,`created_at` datetime NOT NULL,PRIMARY KEY (`user_id`,`sku`));
