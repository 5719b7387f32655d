-- The cart's tables as the release before versioned migrations created
-- them (AutoMigrate of its models), dumped from a database it set up.
CREATE TABLE gobware_cart_items (
    user_id character varying(255) NOT NULL,
    sku character varying(64) NOT NULL,
    quantity bigint NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE TABLE gobware_products (
    sku character varying(64) NOT NULL,
    name character varying(255) NOT NULL,
    price_cents bigint NOT NULL
);
ALTER TABLE ONLY gobware_cart_items
    ADD CONSTRAINT gobware_cart_items_pkey PRIMARY KEY (user_id, sku);
ALTER TABLE ONLY gobware_products
    ADD CONSTRAINT gobware_products_pkey PRIMARY KEY (sku);
